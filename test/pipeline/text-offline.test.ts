import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { planTextLayer } from '../../src/pipeline/steps/text-layer.ts';
import { tempApp } from '../helpers/app.ts';
import { compareFrames, frameAt } from '../media/frames.ts';

// With the offline providers (whose images no longer carry lettering) the words on screen come
// from the composer's text layer alone: the same render without it shows none of them.
describe('offline render shows the text layer', () => {
  let t: ReturnType<typeof tempApp>;
  const runId = 'run-text';
  beforeAll(() => {
    t = tempApp();
    t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 7 }));
  });
  afterAll(() => t.cleanup());

  it('the hook, every scene line and the end card are drawn where the layout put them', async () => {
    await t.pipeline.moodBoards(runId);
    t.pipeline.chooseMood(runId, 0);
    const scenes = await t.pipeline.storyboard(runId);
    const out = await t.pipeline.render(runId);
    const { width: W, height: H } = PROFILES.tiny;
    const clips = t.runs.assets(runId).filter((a) => a.kind === 'clip');
    const music = t.runs.assets(runId).find((a) => a.kind === 'music')!;
    expect(clips).toHaveLength(scenes.length);
    // Same clips, same music, no text layer.
    const order = scenes.map((s) => clips.find((c) => c.stepId.startsWith(`scene-${s.index}/clip/`))!);
    const bare = join(t.dir, 'bare.mp4');
    await compose({
      clips: order.map((c, i) => ({ path: c.path, slotS: scenes[i]!.scene.durationS })),
      musicPath: music.path,
      profile: PROFILES.tiny,
      outPath: bare,
    });
    const moods = await t.pipeline.moodBoards(runId);
    const layer = planTextLayer(
      scenes.map((s) => s.scene),
      DEMO_BRIEF,
      moods[0]!.mood,
      PROFILES.tiny,
    );
    const texts = layer.items.filter((i) => i.kind === 'text');
    expect(texts.map((i) => i.role)).toEqual(expect.arrayContaining(['hook', 'line', 'product', 'cta']));
    // Each text item, sampled in its middle: its box differs from the bare compose.
    for (const item of texts) {
      const mid = (item.startS + item.endS) / 2;
      const [a, b] = await Promise.all([frameAt(bare, mid, W, H), frameAt(out.path, mid, W, H)]);
      expect(compareFrames(a, b, W, [item.box]).changedInside, `${item.role} at ${mid}s`).toBeGreaterThan(15);
    }
    expect(
      layer.items.every((i) => i.box.y >= layer.safe.y && i.box.y + i.box.h <= layer.safe.y + layer.safe.h),
    ).toBe(true);
  }, 180_000);
});
