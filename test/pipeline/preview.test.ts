import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { executions, tempApp } from '../helpers/app.ts';
import { differingPixels, frameAt } from '../media/frames.ts';

const app = tempApp();
afterAll(() => app.cleanup());
const wf = app.workflow;

describe('the free preview (animatic) of a storyboard', () => {
  it('is made with the storyboard, timed like the final, moving, with text and music, paying nothing', async () => {
    await wf.createRun('pv-1', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5, requester: 'U1' }));
    let v = await wf.advance('pv-1');
    await wf.decide('pv-1', 'U1', { kind: 'mood.choose', rev: v.moodsRev, index: 1 });
    v = await wf.advance('pv-1');
    expect(v).toMatchObject({ phase: 'storyboard', working: false, previewDue: false });
    const p = v.preview!;
    expect(p.key).toBe(v.storyboardRev);
    // Measured inside the step: from the stored storyboard to the finished file.
    console.log(`preview seconds (360x640 @ 24 fps, ultrafast, 2 shared cores): ${p.seconds.toFixed(2)}`);
    expect(p.seconds).toBeLessThan(10);
    const info = await probeMedia(p.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    expect(info.video).toMatchObject({ width: 360, height: 640, fps: 24 });
    expect(info.audio?.channels).toBe(2);
    expect(info.sizeBytes).toBeLessThan(4 * 1024 * 1024);
    // Offline music is free, so the preview uses the run's own track (the render will reuse it).
    expect(p.music).toBe('track');
    // Motion: within one scene (the first is 3-4 s) the frame changes as the image pans.
    const [a, b] = [await frameAt(p.path, 0.6, 90, 160), await frameAt(p.path, 2.4, 90, 160)];
    expect(differingPixels(a, b, 10)).toBeGreaterThan(200);
    expect(await app.runs.spendUsd('pv-1')).toBe(0);
    // A second advance (a restart, another click) reads it back: the step ran once.
    await wf.advance('pv-1');
    expect(executions(app.db, 'pv-1').get(`preview/${p.key}`)?.executions).toBe(1);
  }, 120_000);

  it('is made again for a new storyboard revision, and never for auto (CLI) runs unasked', async () => {
    let v = await wf.view('pv-1');
    const before = v.preview?.key;
    expect(
      (await wf.decide('pv-1', 'U1', { kind: 'scene.regenerate', rev: v.storyboardRev, index: 2 })).ok,
    ).toBe(true);
    v = await wf.advance('pv-1');
    expect(v.preview?.key).toBe(v.storyboardRev);
    expect(v.preview?.key).not.toBe(before);
    const steps = [...executions(app.db, 'pv-1').keys()].filter((k) => k.startsWith('preview/'));
    expect(steps).toHaveLength(2);

    await wf.createRun('pv-auto', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5, mode: 'auto' }));
    let a = await wf.advance('pv-auto');
    await wf.decide('pv-auto', 'cli', { kind: 'mood.choose', rev: a.moodsRev, index: 0 });
    a = await wf.advance('pv-auto');
    expect(a).toMatchObject({ phase: 'storyboard', preview: null, previewDue: false });
    const made = await wf.preview('pv-auto');
    expect(made.key).toBe(a.storyboardRev);
  }, 120_000);
});
