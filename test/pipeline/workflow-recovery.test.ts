import fs from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { PredictionFailedError } from '../../src/errors.ts';
import { createOfflineProviders } from '../../src/pipeline/providers/offline/index.ts';
import type { Providers, VideoGen } from '../../src/pipeline/providers/ports.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { tempApp } from '../helpers/app.ts';

/** Offline providers whose scene-3 clip goes wrong the first `times` collects, in the given way. */
function flakyScene3(how: 'refused' | 'truncated', times: number) {
  const offline = createOfflineProviders();
  let left = times;
  const calls = { collects: 0 };
  const video: VideoGen = {
    ...offline.video,
    async collect(job, input, ctx) {
      const out = await offline.video.collect(job, input, ctx);
      if (!ctx.fileStem.startsWith('scene-2-')) return out;
      calls.collects++;
      if (left <= 0) return out;
      left--;
      if (how === 'refused')
        throw new PredictionFailedError('content_policy', 'the input was flagged as sensitive (E005)');
      // A file cut short, as a dropped download leaves it: the collect check must refuse it.
      const file = out.files[0]!;
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
      return out;
    },
  };
  const providers: Providers = { ...offline, video };
  return { providers, calls };
}

let t: ReturnType<typeof tempApp> | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

async function approvedRun(providers: Providers, id: string) {
  t = tempApp({}, providers);
  const wf = t.workflow;
  await wf.createRun(id, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
  let v = await wf.advance(id);
  await wf.decide(id, 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
  v = await wf.advance(id);
  await wf.decide(id, 'UREQ', { kind: 'storyboard.approve', rev: v.storyboardRev });
  return { wf, failed: await wf.advance(id) };
}

describe('after a failed render the ad can still be finished', () => {
  it('a refused scene is regenerated from the storyboard on show, approved again and rendered', async () => {
    const { providers } = flakyScene3('refused', 1);
    const { wf, failed } = await approvedRun(providers, 'rec-1');
    expect(failed).toMatchObject({ phase: 'failed', workPhase: 'render' });
    expect(failed.error).toMatch(/^scene 3's clip: .*flagged as sensitive/);
    // "Try again" is not the only way out: regenerate the refused scene on the same card.
    const regen = await wf.decide('rec-1', 'UREQ', {
      kind: 'scene.regenerate',
      rev: failed.storyboardRev,
      index: 2,
    });
    expect(regen).toMatchObject({ ok: true, view: { phase: 'storyboard', working: true } });
    const board = await wf.advance('rec-1');
    expect(board).toMatchObject({ phase: 'storyboard', working: false });
    expect(board.input.approvals).toEqual([]);
    await wf.decide('rec-1', 'UREQ', { kind: 'storyboard.approve', rev: board.storyboardRev });
    expect((await wf.advance('rec-1')).phase).toBe('done');
  });

  it('a clip bad twice fails plainly; "Try again" pays for one more attempt and finishes', async () => {
    const { providers, calls } = flakyScene3('truncated', 2);
    const { wf, failed } = await approvedRun(providers, 'rec-2');
    expect(failed.phase).toBe('failed');
    expect(failed.error).toMatch(/scene 3's clip/);
    expect(calls.collects).toBe(2);
    expect(await wf.decide('rec-2', 'UREQ', { kind: 'render.retry' })).toMatchObject({ ok: true });
    const done = await wf.advance('rec-2');
    expect(done.phase).toBe('done');
    // One more collect, and one stored clip for scene 3. (Offline makes the clip afresh on the same
    // id; a provider whose output stays bad goes on to a new `/retry-1` prediction.)
    expect(calls.collects).toBe(3);
    const steps = t!.db.$client
      .prepare("select step_id, status from steps where run_id = ? and step_id like 'scene-2/clip/%/collect'")
      .all('rec-2') as { step_id: string; status: string }[];
    expect(steps.filter((s) => s.status === 'succeeded')).toHaveLength(1);
  });
});
