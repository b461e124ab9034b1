import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, NonRetryableError, PredictionFailedError } from '../../src/errors.ts';
import type { GenContext, ImageInput, VideoInput } from '../../src/pipeline/providers/ports.ts';
import { fluxImage, seedanceVideo } from '../../src/pipeline/providers/replicate/adapters.ts';
import { createReplicateApi } from '../../src/pipeline/providers/replicate/client.ts';
import { ReplicateTransportError } from '../../src/pipeline/providers/replicate/errors.ts';
import { createReplicateGen, type ReplicateGenDeps } from '../../src/pipeline/providers/replicate/gen.ts';
import { createPredictionLimiter } from '../../src/pipeline/providers/replicate/limiter.ts';
import { DEFAULT_PRICES } from '../../src/pipeline/providers/replicate/prices.ts';
import { type FakeReplicate, startFakeReplicate } from '../fakes/replicate.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';

const FLUX = 'black-forest-labs/flux-schnell';
const SEEDANCE = 'bytedance/seedance-1-pro-fast';
let fake: FakeReplicate;
let dir: string;
let n = 0;

const deps = (over: Partial<ReplicateGenDeps> = {}): ReplicateGenDeps => ({
  api: createReplicateApi({ apiToken: fake.token, baseUrl: fake.url }),
  limiter: createPredictionLimiter({ maxInFlight: 8, createsPerWindow: 600 }),
  prices: DEFAULT_PRICES,
  download: { hostAllowlist: ['127.0.0.1'], allowInsecureLoopback: true, maxBytes: 50e6, timeoutMs: 5_000 },
  deadlineS: 900,
  poll: { minMs: 5, maxMs: 50 },
  ...over,
});
const ctx = (signal = new AbortController().signal): GenContext => ({
  outDir: dir,
  fileStem: `job-${++n}`,
  signal,
});
const image = (prompt = 'a can of coffee'): ImageInput => ({
  prompt,
  title: 't',
  palette: [],
  keywords: [],
  count: 2,
  width: 144,
  height: 256,
  seed: 1,
});

beforeAll(async () => {
  fake = await startFakeReplicate({ latencyMs: { image: 40, video: 80 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-gen-'));
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Replicate generation against the fake', () => {
  it('creates, polls and downloads; the cost comes from the price table', async () => {
    const gen = createReplicateGen(FLUX, fluxImage, deps());
    const c = ctx();
    const job = await gen.submit(image(), c);
    expect(job.costUsd).toBeCloseTo(0.006, 6);
    const out = await gen.collect(job, image(), c);
    expect(out.files.map((f) => path.basename(f))).toEqual([`job-${n}-0.png`, `job-${n}-1.png`]);
    expect(out.costUsd).toBeCloseTo(0.006, 6);
    expect(fake.predictions.get(job.id)?.input).toMatchObject({
      aspect_ratio: '9:16',
      num_outputs: 2,
      seed: 1,
    });
  });

  it('sends the seed image as a data URI and the profile resolution to seedance', async () => {
    const gen = createReplicateGen(SEEDANCE, seedanceVideo, deps());
    const input: VideoInput = {
      imagePath: await fakeMedia('image'),
      prompt: 'p',
      durationS: 4,
      width: 144,
      height: 256,
      fps: 15,
      seed: 2,
    };
    const c = ctx();
    const job = await gen.submit(input, c);
    const sent = fake.predictions.get(job.id)!.input;
    expect(sent).toMatchObject({ duration: 4, resolution: '480p', fps: 24 });
    expect(String(sent.image)).toMatch(/^data:image\/png;base64,/);
    const out = await gen.collect(job, input, c);
    expect(out.files[0]).toMatch(/\.mp4$/);
    expect(out.costUsd).toBeCloseTo(4 * 0.015, 6);
  });

  it('a connection dropped after the create adopts that prediction instead of paying again', async () => {
    const before = fake.stats.creates;
    fake.fault({ on: 'create', kind: 'drop-after-create' });
    const gen = createReplicateGen(FLUX, fluxImage, deps());
    const job = await gen.submit(image('dropped'), ctx());
    expect(fake.stats.creates).toBe(before + 1);
    expect(fake.predictions.get(job.id)?.input.prompt).toBe('dropped');
  });

  it('a connection dropped before the create is a retryable error and nothing was paid', async () => {
    const before = fake.stats.creates;
    fake.fault({ on: 'create', kind: 'drop' });
    const gen = createReplicateGen(FLUX, fluxImage, deps());
    const err = await gen.submit(image('lost'), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplicateTransportError);
    expect(fake.stats.creates).toBe(before);
  });

  it('polls through 5xx and dropped GETs', async () => {
    const gen = createReplicateGen(FLUX, fluxImage, deps());
    const c = ctx();
    const job = await gen.submit(image(), c);
    fake.fault({ on: 'get', kind: '500', times: 2 });
    fake.fault({ on: 'get', kind: 'drop' });
    expect((await gen.collect(job, image(), c)).files).toHaveLength(2);
  });

  it('content policy and invalid input are non-retryable with the reason; aborted and deleted outputs ask for a resubmit', async () => {
    const gen = createReplicateGen(FLUX, fluxImage, deps());
    const run = async (prompt: string) => {
      const c = ctx();
      return gen.collect(await gen.submit(image(prompt), c), image(prompt), c).catch((e: unknown) => e);
    };
    const match = (prompt: string) => (p: { input: Record<string, unknown> }) => p.input.prompt === prompt;
    fake.outcome({
      match: match('nsfw'),
      status: 'failed',
      error: 'The input or output was flagged as sensitive (E005)',
    });
    fake.outcome({ match: match('aborted'), status: 'aborted' });
    fake.outcome({ match: match('removed'), status: 'data_removed' });
    fake.outcome({ match: match('oom'), status: 'failed', error: 'CUDA out of memory' });
    expect(await run('nsfw')).toMatchObject({
      code: 'content_policy',
      message: expect.stringMatching(/flagged as sensitive/),
    });
    expect(await run('aborted')).toMatchObject({ code: 'prediction_lost', billing: { costUsd: 0 } });
    expect(await run('removed')).toMatchObject({ code: 'prediction_gone' });
    expect(await run('oom')).toMatchObject({
      code: 'prediction_lost',
      message: expect.stringMatching(/CUDA out of memory/),
    });
    const api = createReplicateApi({ apiToken: fake.token, baseUrl: fake.url });
    const bad = await api
      .create(FLUX, { prompt: 'x', aspect_ratio: '1:1' }, { deadlineS: 60 })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(NonRetryableError);
    expect(bad).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/aspect_ratio/) });
  });

  it('cancelling the run cancels the prediction', async () => {
    fake.latency.image = 2_000;
    try {
      const gen = createReplicateGen(FLUX, fluxImage, deps());
      const ac = new AbortController();
      const c = ctx(ac.signal);
      const job = await gen.submit(image('slow'), c);
      const collecting = gen.collect(job, image('slow'), c).catch((e: unknown) => e);
      setTimeout(() => ac.abort(), 50);
      expect(await collecting).toBeInstanceOf(CancelledError);
      expect(fake.stats.cancels).toContain(job.id);
      expect(fake.statusOf(job.id)).toBe('canceled');
    } finally {
      fake.latency.image = 40;
    }
  });

  it('a Replicate-side deadline (Cancel-After) ends as a lost prediction', async () => {
    fake.latency.image = 3_000;
    try {
      const gen = createReplicateGen(FLUX, fluxImage, deps({ deadlineS: 1 }));
      const c = ctx();
      const job = await gen.submit(image('deadline'), c);
      const err = await gen.collect(job, image('deadline'), c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PredictionFailedError);
      expect(err).toMatchObject({ code: 'prediction_lost', message: expect.stringMatching(/canceled/) });
    } finally {
      fake.latency.image = 40;
    }
  });

  it('keeps predictions in flight under the cap', async () => {
    fake.stats.peakRunning = 0;
    const gen = createReplicateGen(
      FLUX,
      fluxImage,
      deps({ limiter: createPredictionLimiter({ maxInFlight: 2, createsPerWindow: 600 }) }),
    );
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const c = ctx();
        await gen.collect(await gen.submit(image(`cap ${i}`), c), image(`cap ${i}`), c);
      }),
    );
    expect(fake.stats.peakRunning).toBe(2);
  });

  it('a rejected token is reported without the token', async () => {
    const secret = 'r8_supersecretvalue123456';
    const gen = createReplicateGen(
      FLUX,
      fluxImage,
      deps({ api: createReplicateApi({ apiToken: secret, baseUrl: fake.url }) }),
    );
    const err = (await gen.submit(image(), ctx()).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'replicate_auth' });
    expect(`${err.message} ${err.stack} ${JSON.stringify(err)}`).not.toContain(secret);
  });
});
