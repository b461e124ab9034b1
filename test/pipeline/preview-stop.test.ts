import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { CancelledError } from '../../src/errors.ts';
import { previewWanted } from '../../src/pipeline/preview-stop.ts';
import { synthesise } from '../../src/pipeline/providers/offline/synth.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { previewKey, previewStepId } from '../../src/pipeline/steps/preview.ts';
import { executions, mutateInput, tempApp } from '../helpers/app.ts';

const app = tempApp();
afterAll(() => app.cleanup());
const wf = app.workflow;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A chat run up to its storyboard on show, the preview not made yet. */
async function storyboardShown(id: string) {
  await wf.createRun(id, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 8, requester: 'U1' }));
  const v = await wf.advanceOnce(id);
  await wf.decide(id, 'U1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
  const shown = await wf.advanceOnce(id);
  expect(shown).toMatchObject({ phase: 'storyboard', working: false, previewDue: true });
  return shown;
}

describe('the free preview stops once nobody will look at it', () => {
  it('an approval here stops it at once; the render goes on, and it pays for nothing more', async () => {
    const v = await storyboardShown('ps-1');
    const making = wf.previewIfDue('ps-1');
    await sleep(150); // the preview's ffmpeg is running (a tiny preview takes ~1.4 s)
    expect((await wf.decide('ps-1', 'U1', { kind: 'storyboard.approve', rev: v.storyboardRev })).ok).toBe(
      true,
    );
    const after = await making;
    expect(after.preview).toBeNull();
    expect(after).toMatchObject({ phase: 'render', working: true });
    // Begun and stopped: never stored as made, and not an error of the run.
    expect(executions(app.db, 'ps-1').get(previewStepId(v.input))?.status).toBe('running');
    expect((await wf.pipeline.get('ps-1')).status).not.toBe('failed');
    const done = await wf.advance('ps-1');
    expect(done.phase).toBe('done');
  }, 120_000);

  it('a decision stored by another process is seen by the preview within its look', async () => {
    const v = await storyboardShown('ps-2');
    const making = wf.previewIfDue('ps-2');
    await sleep(150);
    // What a lane on another worker does: the decision lands in the database, not in this process.
    await mutateInput(app, 'ps-2', (i) => ({ ...i, sceneRevs: { ...i.sceneRevs, '1': 1 } }));
    await making;
    expect(executions(app.db, 'ps-2').get(previewStepId(v.input))?.status).toBe('running');
  }, 120_000);

  it('its placeholder music stops between bars too (synthesis is CPU in this process)', async () => {
    const stop = new AbortController();
    const music = synthesise({
      durationS: 30,
      tempoBpm: 110,
      keywords: ['bold'],
      seed: 3,
      signal: stop.signal,
    });
    stop.abort();
    await expect(music).rejects.toBeInstanceOf(CancelledError);
    const whole = await synthesise({ durationS: 2, tempoBpm: 110, keywords: ['bold'], seed: 3 });
    expect(whole).toBeDefined();
  });

  it('is wanted while its storyboard is on show, unapproved, in a live run', () => {
    const input = newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 8 });
    const key = previewKey(input);
    expect(previewWanted(key, input, 'waiting')).toBe(true);
    expect(previewWanted(key, input, 'cancelled')).toBe(false);
    expect(previewWanted(key, { ...input, approvedRev: key }, 'waiting')).toBe(false);
    expect(previewWanted('another-key', input, 'waiting')).toBe(false);
  });
});
