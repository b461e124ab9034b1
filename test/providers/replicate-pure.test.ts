import { describe, expect, it } from 'vitest';
import { redact } from '../../src/pipeline/providers/redact.ts';
import { adapterFor, musicgenMusic, seedanceVideo } from '../../src/pipeline/providers/replicate/adapters.ts';
import { retryAfterMs } from '../../src/pipeline/providers/replicate/errors.ts';
import { outputUrls } from '../../src/pipeline/providers/replicate/gen.ts';
import {
  costOf,
  DEFAULT_PRICES,
  priceFor,
  resolutionFor,
} from '../../src/pipeline/providers/replicate/prices.ts';

const video = { imagePath: '/x.png', prompt: 'p', durationS: 5, width: 720, height: 1280, fps: 30, seed: 1 };

describe('Replicate pure parts', () => {
  it('maps profiles to seedance resolutions and prices them per second', async () => {
    expect(resolutionFor(144, 256)).toBe('480p');
    expect(resolutionFor(720, 1280)).toBe('720p');
    expect(resolutionFor(1080, 1920)).toBe('1080p');
    const input = await seedanceVideo.input(video, async () => 'https://replicate.delivery/x.png');
    expect(input).toEqual({
      prompt: 'p',
      image: 'https://replicate.delivery/x.png',
      duration: 5,
      resolution: '720p',
      fps: 24,
      camera_fixed: false,
      seed: 1,
    });
    const price = priceFor(DEFAULT_PRICES, 'bytedance/seedance-1-pro-fast');
    expect(seedanceVideo.estimateUsd(video, price)).toBeCloseTo(0.125, 6);
  });

  it('musicgen: at most 30 s, billed by compute time, estimated from the typical time', async () => {
    const job = { prompt: 'p', durationS: 45, tempoBpm: 100, keywords: [], seed: 3 };
    expect(await musicgenMusic.input(job, async () => '')).toMatchObject({
      duration: 30,
      output_format: 'wav',
    });
    const price = priceFor(DEFAULT_PRICES, 'meta/musicgen:671ac645');
    expect(musicgenMusic.estimateUsd(job, price)).toBeCloseTo(45 * 0.0014, 6);
    expect(musicgenMusic.costUsd(job, price, { outputs: 1, predictTimeS: 20 })).toBeCloseTo(0.028, 6);
    expect(costOf(undefined, { images: 3 })).toBe(0);
  });

  it('picks adapters by model family', () => {
    expect(adapterFor('image', 'black-forest-labs/flux-dev').family).toBe('flux');
    expect(adapterFor('video', 'bytedance/seedance-1-lite').family).toBe('seedance');
    expect(() => adapterFor('music', 'someone/song')).toThrow(/no input adapter/);
  });

  it('reads output URLs whatever their shape', () => {
    expect(outputUrls('https://a')).toEqual(['https://a']);
    expect(outputUrls(['https://a', 'https://b'])).toEqual(['https://a', 'https://b']);
    expect(outputUrls({ video: 'https://v' })).toEqual(['https://v']);
    expect(outputUrls(null)).toEqual([]);
  });

  it('parses Retry-After in every form Replicate uses', () => {
    const f = (retryAfter: string | null, body = '', ms: string | null = null) =>
      retryAfterMs({ body, retryAfter, retryAfterMs: ms });
    expect(f('2')).toBe(2000);
    expect(f(null, '', '350')).toBe(350);
    expect(f(null, '{"detail":"Request was throttled. Expected available in 4 seconds."}')).toBe(4000);
    expect(f(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
    expect(f(null)).toBe(1000);
  });

  it('redacts tokens from provider messages', () => {
    expect(redact('bad key sk-proj-abc123def456 and Bearer r8_zzz', ['r8_zzz'])).toBe(
      'bad key [redacted] and Bearer [redacted]',
    );
    expect(redact('Incorrect API key provided: sk-abc***wxyz', [])).not.toContain('sk-abc');
  });
});
