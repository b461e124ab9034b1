import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, regenerateScene, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

const FLUX = 'black-forest-labs/flux-schnell';
const SEEDANCE = 'bytedance/seedance-1-pro-fast';
const MUSIC = 'stability-ai/stable-audio-2.5';

describe('real clients under faults (tiny profile)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  beforeAll(async () => {
    fakes = await startFakes();
    // A fresh limiter per fake (the limiter is per account = base URL + token).
    t = tempApp(fakes.env);
  });
  afterAll(async () => {
    t.cleanup();
    await fakes.close();
  });

  it('a 429 storm is honoured: everyone waits out Retry-After, no burst, one create per image', async () => {
    const r = fakes.replicate;
    r.fault({ on: 'create', kind: '429', retryAfterS: 1, times: 3 });
    await t.pipeline.createRun('run-429', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 1 }));
    const started = Date.now();
    await t.pipeline.moodBoards('run-429');
    const attempts = r.stats.createAttempts;
    const firstLimited = attempts.find((a) => a.status === 429)!.at;
    const limited = attempts.filter((a) => a.status === 429);
    const accepted = attempts.filter((a) => a.status === 201);
    // The three mood-image creates went out together and all got a 429 ...
    expect(limited).toHaveLength(3);
    // ... and nothing was sent again before Retry-After ran out (the client alone sends 6 in 12 ms).
    expect(accepted).toHaveLength(3);
    for (const a of accepted) expect(a.at - firstLimited).toBeGreaterThanOrEqual(990);
    expect(r.stats.creates).toBe(3);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a deleted output is made once more under a new step id, both on record', async () => {
    const r = fakes.replicate;
    r.outcome({ match: (p) => p.model === FLUX, status: 'data_removed' });
    await t.pipeline.createRun('run-gone', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 2 }));
    const before = r.stats.creates;
    const boards = await t.pipeline.moodBoards('run-gone');
    expect(boards.every((b) => b.images.length === 2)).toBe(true);
    expect(r.stats.creates - before).toBe(4);
    const steps = [...executions(t.db, 'run-gone').keys()].filter((k) => k.endsWith('/again/collect'));
    expect(steps).toHaveLength(1);
  });

  it('a content-policy failure stops the run with the reason; regenerating that scene pays for that scene only', async () => {
    const r = fakes.replicate;
    const runId = 'run-policy';
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 4 }));
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    await t.pipeline.storyboard(runId);
    r.outcome({
      match: (p) => p.model === SEEDANCE && String(p.input.prompt).startsWith('Scene 3:'),
      status: 'failed',
      error: 'The input or output was flagged as sensitive. Please try again with different inputs. (E005)',
    });
    const spendBefore = await t.runs.spendUsd(runId);
    await expect(t.pipeline.render(runId)).rejects.toThrow(/flagged as sensitive/);
    expect(await t.pipeline.get(runId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^scene 3's clip: .*flagged as sensitive/),
    });
    // Every other clip and the music finished and are stored; the refused clip cost nothing.
    const steps = executions(t.db, runId);
    const clipCollects = [...steps.entries()].filter(([k]) => /^scene-\d\/clip\/.*\/collect$/.test(k));
    expect(clipCollects.filter(([, v]) => v.status === 'succeeded')).toHaveLength(5);
    expect(
      [...steps.entries()].some(
        ([k, v]) => k.startsWith('music/') && k.endsWith('/collect') && v.status === 'succeeded',
      ),
    ).toBe(true);
    expect(await t.runs.spendUsd(runId)).toBeCloseTo(spendBefore + (4 + 5 + 5 + 5 + 6) * 0.015 + 0.2, 6);

    const createsBefore = { ...r.createsByModel() };
    const spendAfterFail = await t.runs.spendUsd(runId);
    await regenerateScene(t, runId, 2);
    const scenes = await t.pipeline.storyboard(runId);
    const estimate = await t.pipeline.estimateRenderCost(runId);
    expect(estimate.totalUsd).toBeCloseTo(5 * 0.015, 6);
    const out = await t.pipeline.render(runId);
    expect(out.scenes).toBe(6);
    const createsAfter = r.createsByModel();
    expect(createsAfter[FLUX]! - createsBefore[FLUX]!).toBe(1);
    expect(createsAfter[SEEDANCE]! - createsBefore[SEEDANCE]!).toBe(1);
    expect(createsAfter[MUSIC]).toBe(createsBefore[MUSIC]);
    expect(scenes[2]!.scene.title).toMatch(/^Rewrite/);
    expect(await t.runs.spendUsd(runId)).toBeCloseTo(spendAfterFail + 0.003 + 5 * 0.015, 6);
  });
});
