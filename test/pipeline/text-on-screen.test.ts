import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { planTextLayer } from '../../src/pipeline/steps/text-layer.ts';
import { chooseMood, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';
import { compareFrames, frameAt } from '../media/frames.ts';

/**
 * The words on screen come from the composer's text layer alone: the offline images no longer
 * carry lettering and the Replicate fake's media never did. So the same clips composed without
 * the layer show none of them, and every text box must differ between the two.
 */
async function rendersEveryLine(t: ReturnType<typeof tempApp>, runId: string) {
  await t.pipeline.moodBoards(runId);
  await chooseMood(t, runId, 0);
  const scenes = await t.pipeline.storyboard(runId);
  const out = await t.pipeline.render(runId);
  const { width: W, height: H } = PROFILES.tiny;
  const assets = await t.runs.assets(runId);
  const clipFor = (i: number) =>
    assets.find((a) => a.kind === 'clip' && a.stepId.startsWith(`scene-${i}/clip/`))!;
  const bare = join(t.dir, 'bare.mp4');
  await compose({
    clips: scenes.map((s) => ({ path: clipFor(s.index).path, slotS: s.scene.durationS })),
    musicPath: assets.find((a) => a.kind === 'music')!.path,
    profile: PROFILES.tiny,
    outPath: bare,
  });
  const mood = (await t.pipeline.moodBoards(runId))[0]!.mood;
  const layer = planTextLayer(
    scenes.map((s) => s.scene),
    DEMO_BRIEF,
    mood,
    PROFILES.tiny,
  );
  const texts = layer.items.filter((i) => i.kind === 'text');
  // The hook, a line for every middle scene, and the end card's product name and CTA.
  expect(texts.filter((i) => i.role === 'line')).toHaveLength(scenes.length - 2);
  expect(texts.map((i) => i.role)).toEqual(expect.arrayContaining(['hook', 'product', 'cta']));
  for (const item of texts) {
    const mid = (item.startS + item.endS) / 2;
    const [a, b] = await Promise.all([frameAt(bare, mid, W, H), frameAt(out.path, mid, W, H)]);
    expect(compareFrames(a, b, W, [item.box]).changedInside, `${item.role} at ${mid}s`).toBeGreaterThan(15);
  }
}

describe('the finished video shows the text layer', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('with the offline providers', async () => {
    const t = tempApp();
    cleanups.push(() => t.cleanup());
    await t.pipeline.createRun('run-text', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 7 }));
    await rendersEveryLine(t, 'run-text');
  }, 180_000);

  it('with the real openai + replicate clients against fakes whose media has no lettering', async () => {
    const fakes = await startFakes();
    cleanups.push(() => fakes.close());
    const t = tempApp(fakes.env);
    cleanups.push(() => t.cleanup());
    await t.pipeline.createRun('run-text-real', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
    await rendersEveryLine(t, 'run-text-real');
  }, 180_000);
});
