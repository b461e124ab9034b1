import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, NonRetryableError, RetryAfterError } from '../../src/errors.ts';
import { measureLoudness } from '../../src/pipeline/media/loudness.ts';
import { verifyMedia } from '../../src/pipeline/media/verify.ts';
import { createOpenAiTts } from '../../src/pipeline/providers/openai/tts.ts';
import type { GenContext, Tts } from '../../src/pipeline/providers/ports.ts';
import { createReplicateApi } from '../../src/pipeline/providers/replicate/client.ts';
import { createReplicateTts, KOKORO_PINNED } from '../../src/pipeline/providers/replicate/kokoro.ts';
import { createPredictionLimiter } from '../../src/pipeline/providers/replicate/limiter.ts';
import { DEFAULT_PRICES } from '../../src/pipeline/providers/replicate/prices.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { type FakeReplicate, startFakeReplicate } from '../fakes/replicate.ts';

// The real `openai` and `replicate` clients against the loopback fakes: what is sent, what comes
// back (a WAV whose length follows the text), and how failures reach the caller.
let openai: FakeOpenAI;
let replicate: FakeReplicate;
let dir: string;
let n = 0;
const ctx = (): GenContext => ({
  outDir: dir,
  fileStem: `line-${++n}`,
  signal: new AbortController().signal,
});

const openaiTts = (voice = 'coral') =>
  createOpenAiTts({
    apiKey: openai.apiKey,
    baseURL: openai.url,
    model: 'gpt-4o',
    maxRetries: 0,
    timeoutMs: 10_000,
    ttsModel: 'gpt-4o-mini-tts',
    ttsVoice: voice,
  });

const replicateTts = (): Tts =>
  createReplicateTts(KOKORO_PINNED, 'af_bella', {
    api: createReplicateApi({ apiToken: replicate.token, baseUrl: replicate.url }),
    limiter: createPredictionLimiter({ maxInFlight: 4, createsPerWindow: 600 }),
    prices: DEFAULT_PRICES,
    download: { hostAllowlist: ['127.0.0.1'], allowInsecureLoopback: true, maxBytes: 50e6, timeoutMs: 5_000 },
    deadlineS: 900,
    poll: { minMs: 5, maxMs: 50 },
  });

async function speakAll(tts: Tts, text: string, voice = tts.defaultVoice) {
  const c = ctx();
  const input = { text, voice, seed: 1 };
  const job = await tts.submit(input, c);
  const out = await tts.collect(job, input, c);
  return { job, out };
}

beforeAll(async () => {
  openai = await startFakeOpenAI();
  replicate = await startFakeReplicate({ latencyMs: { audio: 30 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-tts-'));
});
afterAll(async () => {
  await Promise.all([openai.close(), replicate.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('OpenAI speech through the real client', () => {
  it('asks for WAV in the chosen voice and stores a file as long as the line', async () => {
    const tts = openaiTts();
    expect(tts.voices).toContain('coral');
    const text = 'Smooth, never bitter, and always cold.';
    const { job, out } = await speakAll(tts, text);
    const sent = openai.speech.requests.at(-1)!;
    expect(sent).toMatchObject({
      model: 'gpt-4o-mini-tts',
      voice: 'coral',
      input: text,
      response_format: 'wav',
    });
    expect(job.costUsd).toBeGreaterThan(0);
    expect(out.files).toHaveLength(1);
    expect(path.extname(out.files[0]!)).toBe('.wav');
    const media = await verifyMedia(out.files[0]!, { kind: 'voice', label: 'the line' });
    // 6 words at the fake's 2.5 words/s plus its 0.2 s breath.
    expect(media.durationS).toBeCloseTo(2.6, 1);
    expect((await measureLoudness(out.files[0]!)).integratedLufs).toBeGreaterThan(-40);
    expect(openai.requests.filter((r) => r.name === '')).toHaveLength(0);
  });

  it('maps a 429 to a retry-after and a 400 (unknown voice) to a refusal, writing nothing', async () => {
    const tts = openaiTts('nobody');
    openai.speech.faults.push({ status: 429, retryAfterS: 2 });
    const before = fs.readdirSync(dir).length;
    await expect(speakAll(tts, 'Hello there')).rejects.toBeInstanceOf(RetryAfterError);
    await expect(speakAll(tts, 'Hello there')).rejects.toBeInstanceOf(NonRetryableError);
    expect(fs.readdirSync(dir).length).toBe(before);
  });

  it('refuses an answer that is not audio', async () => {
    openai.speech.faults.push({ garbage: true });
    const err = await speakAll(openaiTts(), 'Hello there').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('tts_bad_audio');
  });
});

describe('Replicate speech (Kokoro-82M) through the real client', () => {
  it('creates a prediction by version with text and voice, downloads the WAV', async () => {
    const tts = replicateTts();
    const text = 'Meet the coffee that keeps up with you.';
    const { job, out } = await speakAll(tts, text);
    const p = replicate.predictions.get(job.id)!;
    expect(p.model).toBe('jaaari/kokoro-82m');
    expect(p.version).toBe(KOKORO_PINNED.split(':')[1]);
    expect(p.input).toEqual({ text, voice: 'af_bella', speed: 1 });
    const media = await verifyMedia(out.files[0]!, { kind: 'voice', label: 'the line' });
    // 8 words at 2.5 words/s plus 0.2 s.
    expect(media.durationS).toBeCloseTo(3.4, 1);
    expect(out.costUsd).toBeGreaterThan(0);
  });

  it('can find the prediction again after a lost create (reconcile by listing)', async () => {
    const tts = replicateTts();
    const input = { text: 'Grab one today.', voice: 'am_adam', seed: 3 };
    const createdMs = Date.now() - 1000;
    const job = await tts.submit(input, ctx());
    const found = await tts.reconcile!(input, { createdMs, nonce: 'n' }, ctx());
    expect(found.map((j) => j.id)).toEqual([job.id]);
  });
});
