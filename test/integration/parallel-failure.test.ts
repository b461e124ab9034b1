import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

const FLUX = 'black-forest-labs/flux-schnell';
// The other images' downloads take this long, so a rejection on the first failure would come
// long before they are stored: the test tells waiting-for-all from Promise.all by timing alone.
const SLOW_DOWNLOAD_MS = 1_500;

describe('one of several parallel paid images fails (real replicate client)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  beforeAll(async () => {
    fakes = await startFakes({
      mediaFor: async () => {
        await new Promise((r) => setTimeout(r, SLOW_DOWNLOAD_MS));
        return undefined; // then the fake's default media
      },
    });
    t = tempApp(fakes.env);
  });
  afterAll(async () => {
    t.cleanup();
    await fakes.close();
  });

  it('the other mood images still finish and are stored; a retry pays only for the failed one', async () => {
    const runId = 'run-mood-fail';
    const r = fakes.replicate;
    t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
    // The first image create of the three is refused (422: nothing created, not retried).
    r.fault({ on: 'create', kind: '422', times: 1 });
    await expect(t.pipeline.moodBoards(runId)).rejects.toThrow(/rejected|refused|invalid/i);

    const steps = [...executions(t.db, runId).entries()];
    const collected = steps.filter(
      ([k, v]) => /^mood-\d\/images\/.*\/collect$/.test(k) && v.status === 'succeeded',
    );
    expect(collected).toHaveLength(2);
    const failedSubmits = steps.filter(
      ([k, v]) => /^mood-\d\/images\/.*\/submit$/.test(k) && v.status === 'failed',
    );
    expect(failedSubmits).toHaveLength(1);
    expect((await t.runs.assets(runId)).filter((a) => a.kind === 'image')).toHaveLength(4);
    expect(r.createsByModel()[FLUX]).toBe(2);

    const boards = await t.pipeline.moodBoards(runId);
    expect(boards.map((b) => b.images.length)).toEqual([2, 2, 2]);
    expect(r.createsByModel()[FLUX]).toBe(3);
  });

  it('the other scene images still finish and are stored; a retry pays only for the failed one', async () => {
    const runId = 'run-scene-fail';
    const r = fakes.replicate;
    t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5 }));
    await t.pipeline.moodBoards(runId);
    chooseMood(t, runId, 1);
    const before = r.createsByModel()[FLUX]!;
    r.fault({ on: 'create', kind: '422', times: 1 });
    await expect(t.pipeline.storyboard(runId)).rejects.toThrow(/rejected|refused|invalid/i);

    const steps = [...executions(t.db, runId).entries()];
    const images = steps.filter(([k]) => /^scene-\d\/image\/.*\/submit$/.test(k));
    const collected = steps.filter(
      ([k, v]) => /^scene-\d\/image\/.*\/collect$/.test(k) && v.status === 'succeeded',
    );
    expect(images.length).toBeGreaterThanOrEqual(5);
    expect(collected).toHaveLength(images.length - 1);
    expect(r.createsByModel()[FLUX]! - before).toBe(images.length - 1);

    const scenes = await t.pipeline.storyboard(runId);
    expect(scenes).toHaveLength(images.length);
    expect(r.createsByModel()[FLUX]! - before).toBe(images.length);
  });
});
