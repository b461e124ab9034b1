import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { DEFAULT_MUSIC_MODEL, MUSICGEN_PINNED } from '../../src/config-providers.ts';
import { NonRetryableError } from '../../src/errors.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import type { GenContext, MusicInput } from '../../src/pipeline/providers/ports.ts';
import { musicgenMusic } from '../../src/pipeline/providers/replicate/adapters.ts';
import { createReplicateGen } from '../../src/pipeline/providers/replicate/gen.ts';
import {
  createPredictionLimiter,
  createReplicateProviders,
  predictionLimits,
} from '../../src/pipeline/providers/replicate/index.ts';
import { DEFAULT_PRICES, priceFor } from '../../src/pipeline/providers/replicate/prices.ts';
import { stableAudioMusic } from '../../src/pipeline/providers/replicate/stable-audio.ts';
import { selectProviders } from '../../src/select-providers.ts';
import { type FakeReplicate, startFakeReplicate } from '../fakes/replicate.ts';

let fake: FakeReplicate;
let dir: string;
const track: MusicInput = {
  prompt: 'warm upbeat acoustic bed',
  durationS: 30,
  tempoBpm: 100,
  keywords: [],
  seed: 7,
};
const env = () => ({
  ADGEN_DATA_DIR: dir,
  REPLICATE_API_TOKEN: fake.token,
  REPLICATE_BASE_URL: fake.url,
  MEDIA_HOST_ALLOWLIST: '127.0.0.1',
  MEDIA_ALLOW_INSECURE_LOOPBACK: 'true',
  REPLICATE_POLL_MIN_MS: '5',
  REPLICATE_POLL_MAX_MS: '50',
});
const ctx = (stem: string): GenContext => ({
  outDir: dir,
  fileStem: stem,
  signal: new AbortController().signal,
});
const musicFrom = (config: ReturnType<typeof loadConfig>) => {
  const r = config.replicate!;
  return createReplicateProviders(r, config.media, createPredictionLimiter(predictionLimits(r))).music;
};

beforeAll(async () => {
  fake = await startFakeReplicate({ latencyMs: { audio: 30 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-licence-'));
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('default music model: commercially usable output', () => {
  it('renders a 30 s track with stable-audio-2.5 through the real client, input checked by its schema', async () => {
    const config = loadConfig(env());
    expect(config.replicate?.musicModel).toBe(DEFAULT_MUSIC_MODEL);
    const music = musicFrom(config);
    const before = fake.createsByModel()[DEFAULT_MUSIC_MODEL] ?? 0;
    const job = await music.submit(track, ctx('music-default'));
    const sent = fake.predictions.get(job.id)!;
    expect(sent.model).toBe('stability-ai/stable-audio-2.5');
    expect(sent.input).toEqual({
      prompt: 'warm upbeat acoustic bed, instrumental, no vocals',
      duration: 30,
      steps: 8,
      seed: 7,
    });
    const out = await music.collect(job, track, ctx('music-default'));
    expect(out.files).toHaveLength(1);
    const probed = await probeMedia(out.files[0]!);
    expect(probed.audio).toBeDefined();
    expect(Math.abs(probed.durationS - 30)).toBeLessThan(0.5);
    expect(out.costUsd).toBeCloseTo(0.2, 6);
    expect(fake.createsByModel()[DEFAULT_MUSIC_MODEL]).toBe(before + 1);
  });

  it("the fake refuses a field the model's schema does not have, so an adapter typo fails", async () => {
    const config = loadConfig(env());
    const typo = {
      ...stableAudioMusic,
      input: async (job: MusicInput) => ({ prompt: job.prompt, seconds_total: job.durationS }),
    };
    const gen = createReplicateGen(DEFAULT_MUSIC_MODEL, typo, {
      api: (await import('../../src/pipeline/providers/replicate/client.ts')).createReplicateApi({
        apiToken: fake.token,
        baseUrl: fake.url,
      }),
      limiter: createPredictionLimiter(predictionLimits(config.replicate!)),
      prices: DEFAULT_PRICES,
      download: config.media,
      deadlineS: 900,
      poll: { minMs: 5, maxMs: 50 },
    });
    const err = await gen.submit(track, ctx('music-typo')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect(String((err as Error).message)).toMatch(/seconds_total/);
    const tooLong = await musicFrom(config)
      .submit({ ...track, durationS: 500 }, ctx('music-long'))
      .then((j) => fake.predictions.get(j.id)!.input.duration);
    expect(tooLong).toBe(190);
  });

  it('estimates a 30 s track at the flat per-generation price, and prices can be overridden', () => {
    const price = priceFor(DEFAULT_PRICES, DEFAULT_MUSIC_MODEL);
    expect(price).toEqual({ perOutput: 0.2 });
    expect(stableAudioMusic.estimateUsd(track, price)).toBeCloseTo(0.2, 6);
    expect(stableAudioMusic.estimateUsd({ ...track, durationS: 120 }, price)).toBeCloseTo(0.2, 6);
    expect(stableAudioMusic.costUsd(track, price, { outputs: 0 })).toBe(0);
    const musicgen = priceFor(DEFAULT_PRICES, MUSICGEN_PINNED);
    expect(musicgenMusic.estimateUsd(track, musicgen)).toBeCloseTo(45 * 0.0014, 6);
    const custom = loadConfig({
      ...env(),
      REPLICATE_PRICES: '{"stability-ai/stable-audio-2.5":{"perOutput":0.15}}',
    });
    expect(stableAudioMusic.estimateUsd(track, priceFor(custom.replicate!.prices, DEFAULT_MUSIC_MODEL))).toBe(
      0.15,
    );
  });

  it('keeps musicgen selectable, with a non-commercial warning in the summary (once) and the log', async () => {
    const plain = selectProviders(loadConfig(env()));
    expect(plain.warning).toBeUndefined();
    expect(plain.summary).toMatch(/music: Replicate stable-audio-2\.5$/);
    const config = loadConfig({ ...env(), REPLICATE_MUSIC_MODEL: MUSICGEN_PINNED });
    const chosen = selectProviders(config);
    expect(chosen.providers.music.model).toBe(MUSICGEN_PINNED);
    expect(chosen.warning).toMatch(/CC-BY-NC 4\.0.*may not be used in a commercial ad/);
    expect(chosen.summary.match(/warning:/g)).toHaveLength(1);
    expect(chosen.summary).toContain(
      'music: Replicate musicgen · warning: meta/musicgen weights are CC-BY-NC',
    );
    // Offline music: nothing non-commercial runs, so no warning.
    const offlineMusic = selectProviders(
      loadConfig({ ...env(), REPLICATE_MUSIC_MODEL: MUSICGEN_PINNED, ADGEN_MUSIC_PROVIDER: 'offline' }),
    );
    expect(offlineMusic.warning).toBeUndefined();

    const warnings: string[] = [];
    const log = { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(m) };
    const bot = await startBot(config, { adapters: [], log });
    await bot.stop();
    expect(warnings).toEqual([chosen.warning]);
  });
});
