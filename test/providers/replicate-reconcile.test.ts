import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenContext, VideoInput } from '../../src/pipeline/providers/ports.ts';
import { fluxImage, seedanceVideo } from '../../src/pipeline/providers/replicate/adapters.ts';
import { createReplicateApi } from '../../src/pipeline/providers/replicate/client.ts';
import { createReplicateGen, type ReplicateGenDeps } from '../../src/pipeline/providers/replicate/gen.ts';
import { createPredictionLimiter } from '../../src/pipeline/providers/replicate/limiter.ts';
import { DEFAULT_PRICES } from '../../src/pipeline/providers/replicate/prices.ts';
import { type FakeReplicate, startFakeReplicate } from '../fakes/replicate.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';

const SEEDANCE = 'bytedance/seedance-1-pro-fast';
let fake: FakeReplicate;
let dir: string;
let seedImage: string;

const deps = (): ReplicateGenDeps => ({
  api: createReplicateApi({ apiToken: fake.token, baseUrl: fake.url }),
  limiter: createPredictionLimiter({ maxInFlight: 400, createsPerWindow: 10_000 }),
  prices: DEFAULT_PRICES,
  download: { hostAllowlist: ['127.0.0.1'], allowInsecureLoopback: true, maxBytes: 50e6, timeoutMs: 5_000 },
  deadlineS: 900,
  poll: { minMs: 5, maxMs: 50 },
});
const ctx = (): GenContext => ({ outDir: dir, fileStem: 'x', signal: new AbortController().signal });
const clip = (seed: number): VideoInput => ({
  imagePath: seedImage,
  prompt: 'a slow push in',
  durationS: 3,
  width: 144,
  height: 256,
  fps: 24,
  seed,
});

beforeAll(async () => {
  fake = await startFakeReplicate({ latencyMs: { image: 20, video: 20 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-reconcile-'));
  seedImage = path.join(dir, 'seed.png');
  fs.copyFileSync(await fakeMedia('image', 1), seedImage);
});
afterAll(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Replicate reconcile: finding a create whose answer never came', () => {
  it('finds it by model and input past the first page of the list, ignoring look-alikes', async () => {
    const video = createReplicateGen(SEEDANCE, seedanceVideo, deps());
    const image = createReplicateGen('black-forest-labs/flux-schnell', fluxImage, deps());
    const intent = { createdMs: Date.now(), nonce: 'n' };
    const lost = await video.submit(clip(7), ctx());
    // 150 newer predictions push it to the list's second page (100 a page).
    for (let i = 0; i < 150; i++) await video.submit(clip(1000 + i), ctx());
    await image.submit(
      {
        prompt: 'a slow push in',
        title: '',
        palette: [],
        keywords: [],
        count: 1,
        width: 144,
        height: 256,
        seed: 7,
      },
      ctx(),
    );
    fake.outcome({ match: (p) => p.input.seed === 8, status: 'failed', error: 'boom' });
    await video.submit(clip(8), ctx());
    await new Promise((r) => setTimeout(r, 50));
    const found = await video.reconcile!(clip(7), intent, ctx());
    expect(found.map((j) => j.id)).toEqual([lost.id]);
    // A failed prediction is not one to adopt: creating again is the fix there.
    expect(await video.reconcile!(clip(8), intent, ctx())).toEqual([]);
  });

  it('finds nothing for a prediction made well before the intent', async () => {
    const video = createReplicateGen(SEEDANCE, seedanceVideo, deps());
    await video.submit(clip(42), ctx());
    const later = { createdMs: Date.now() + 10 * 60_000, nonce: 'n' };
    expect(await video.reconcile!(clip(42), later, ctx())).toEqual([]);
  });
});
