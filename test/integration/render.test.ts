import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { moovBeforeMdat, probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, regenerateScene, tempApp } from '../helpers/app.ts';

describe('offline pipeline end to end (tiny profile)', () => {
  let t: ReturnType<typeof tempApp>;
  const runId = 'run-it';
  beforeAll(async () => {
    t = tempApp();
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 42 }));
  });
  afterAll(() => t.cleanup());

  it('plans three mood boards with sample images', async () => {
    const boards = await t.pipeline.moodBoards(runId);
    expect(boards).toHaveLength(3);
    for (const b of boards) expect(b.images.length).toBe(2);
    expect(new Set(boards.map((b) => b.mood.name)).size).toBe(3);
    expect((await t.pipeline.get(runId)).status).toBe('waiting');
  });

  it('renders a 30 s 9:16 MP4 with video and audio, moov first', async () => {
    await chooseMood(t, runId, 1);
    const scenes = await t.pipeline.storyboard(runId);
    expect(scenes.length).toBeGreaterThanOrEqual(5);
    expect(scenes.reduce((s, x) => s + x.scene.durationS, 0)).toBe(30);
    const out = await t.pipeline.render(runId);
    const info = await probeMedia(out.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    expect(info.video).toMatchObject({ width: 144, height: 256, codec: 'h264' });
    expect(info.audio?.codec).toBe('aac');
    expect(await moovBeforeMdat(out.path)).toBe(true);
    const video = (await t.runs.assets(runId)).filter((a) => a.kind === 'video');
    expect(video).toHaveLength(1);
    expect(video[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Below the workflow nothing is delivered, so the run is not marked succeeded here.
    expect((await t.pipeline.get(runId)).status).toBe('running');
  });

  it('regenerating one scene re-makes only that scene (and the final compose)', async () => {
    const before = executions(t.db, runId);
    const predictionsBefore = (await t.runs.list()).find((r) => r.id === runId)!.predictions;
    await regenerateScene(t, runId, 2);
    const scenes = await t.pipeline.storyboard(runId);
    await t.pipeline.render(runId);
    const after = executions(t.db, runId);
    for (const [id, row] of before) expect(after.get(id)?.executions, id).toBe(row.executions);
    const added = [...after.keys()].filter((k) => !before.has(k)).sort();
    expect(added.filter((k) => !k.startsWith('compose/'))).toEqual(
      [
        `scene-2/clip/${scenes[2]!.key}/144x256@15/collect`,
        `scene-2/clip/${scenes[2]!.key}/144x256@15/submit`,
        `scene-2/image/${scenes[2]!.key}/collect`,
        `scene-2/image/${scenes[2]!.key}/submit`,
        `scene-2/text/${scenes[2]!.key}`,
      ].sort(),
    );
    expect((await t.runs.list()).find((r) => r.id === runId)!.predictions).toBe(predictionsBefore + 2);
  });

  it('a cancelled run refuses further work', async () => {
    expect(await t.workflow.decide(runId, 'UREQ', { kind: 'cancel' })).toMatchObject({ ok: true });
    expect((await t.workflow.view(runId)).phase).toBe('cancelled');
    await expect(t.pipeline.render(runId)).rejects.toThrow(/cancelled/);
  });
});
