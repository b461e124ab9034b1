import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/pipeline/limit.ts';
import { MAX_LINGER_MS, verifyAll } from '../../src/pipeline/media/check-queue.ts';
import { collectGroup, collectsPending, trackCollect } from '../../src/pipeline/media/check-siblings.ts';
import type { FfmpegBins } from '../../src/pipeline/media/run.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';
import { probes } from './check-batch-fixtures.ts';

const bins = (): FfmpegBins => ({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', limit: createLimiter(2) });
const clip = (n: number) => ({ kind: 'clip' as const, label: `scene ${n}'s clip`, durationS: 5 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a collect check waits a little for its siblings still at the provider', () => {
  it('counts each collect once, however often it is released', () => {
    const g = collectGroup('run-a', 'clip');
    const one = trackCollect(g);
    const two = trackCollect(g);
    one();
    one();
    expect(collectsPending(g)).toBe(true);
    two();
    expect(collectsPending(g)).toBe(false);
    expect(collectsPending(collectGroup('run-b', 'clip'))).toBe(false);
  });

  it('the first clip waits for the second, which starts their one ffprobe at once', async () => {
    const path = await fakeMedia('video', 5);
    const g = collectGroup('run-siblings', 'clip');
    const b = bins();
    const { result, runs } = await probes(async () => {
      const first = trackCollect(g);
      const second = trackCollect(g);
      first();
      const a = verifyAll([{ path, want: clip(1) }], b, undefined, g);
      await sleep(150); // the second clip comes back one poll later
      second();
      const c = verifyAll([{ path, want: clip(2) }], b, undefined, g);
      return Promise.all([a, c]);
    });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.args).toContain('lavfi');
    expect(result.flat().map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  }, 30_000);

  it('a sibling that fails at the provider does not hold the others; nor does one that never ends', async () => {
    const path = await fakeMedia('video', 5);
    const b = bins();
    // Failed: its collect ends without a file; the waiting check goes a look later.
    const g = collectGroup('run-failed-sibling', 'clip');
    const ok = trackCollect(g);
    const failed = trackCollect(g);
    ok();
    const { runs: one } = await probes(async () => {
      const check = verifyAll([{ path, want: clip(1) }], b, undefined, g);
      await sleep(60);
      failed();
      return check;
    });
    expect(one).toHaveLength(1);
    expect(one[0]!.startedAt - one[0]!.queuedAt).toBeLessThan(MAX_LINGER_MS);
    expect(one[0]!.startedAt - one[0]!.queuedAt).toBeGreaterThanOrEqual(55);
    // Never ends: the check waits MAX_LINGER_MS at most.
    const slow = collectGroup('run-slow-sibling', 'clip');
    const done = trackCollect(slow);
    const stuck = trackCollect(slow);
    done();
    const { runs: two } = await probes(() => verifyAll([{ path, want: clip(1) }], b, undefined, slow));
    stuck();
    expect(two).toHaveLength(1);
    const waited = two[0]!.startedAt - two[0]!.queuedAt;
    expect(waited).toBeGreaterThanOrEqual(MAX_LINGER_MS - 5);
    expect(waited).toBeLessThan(MAX_LINGER_MS + 1000);
  }, 30_000);

  it('a check with no siblings coming starts at once', async () => {
    const path = await fakeMedia('video', 5);
    const g = collectGroup('run-alone', 'clip');
    trackCollect(g)();
    const { runs } = await probes(() => verifyAll([{ path, want: clip(1) }], bins(), undefined, g));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.startedAt - runs[0]!.queuedAt).toBeLessThan(50);
  });
});
