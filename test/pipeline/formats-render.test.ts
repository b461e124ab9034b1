import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { FORMATS, formatProfile } from '../../src/pipeline/media/formats.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, mutateInput, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

/**
 * More formats are reframes of the clips already paid for: the real replicate client against
 * the fake, whose create counter must not move when three formats are added to a rendered ad.
 */
describe('formats from the same clips (real replicate client, fake server)', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('composes 4:5, 1:1 and 16:9 later without creating any clip or track again', async () => {
    const fakes = await startFakes();
    cleanups.push(() => fakes.close());
    const t = tempApp(fakes.env);
    cleanups.push(() => t.cleanup());
    const runId = 'run-formats';
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5 }));
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    const scenes = await t.pipeline.storyboard(runId);
    const first = await t.pipeline.render(runId);
    expect(first.formats?.map((f) => f.format)).toEqual(['9x16']);
    const createsAfterFirst = fakes.replicate.stats.creates;
    const byModel = fakes.replicate.createsByModel();
    expect(createsAfterFirst).toBeGreaterThan(scenes.length); // images, clips, music were paid once

    await mutateInput(t, runId, (i) => ({ ...i, formats: [...FORMATS] }));
    const all = await t.pipeline.render(runId);
    expect(fakes.replicate.stats.creates).toBe(createsAfterFirst);
    expect(fakes.replicate.createsByModel()).toEqual(byModel);
    expect(all.path).toBe(first.path); // the 9:16 compose step was read back, not run again

    expect(all.formats?.map((f) => f.format)).toEqual([...FORMATS]);
    for (const f of all.formats ?? []) {
      const p = formatProfile(PROFILES.tiny, f.format);
      const info = await probeMedia(f.path);
      expect(info.video, f.format).toMatchObject({ width: p.width, height: p.height });
      expect(info.video!.fps).toBeCloseTo(15, 1);
      expect(Math.abs(info.durationS - 30), f.format).toBeLessThan(0.2);
    }
    const steps = executions(t.db, runId);
    const composes = [...steps.values()].filter((s) => s.stepId.startsWith('compose/'));
    // A paid generation is a submit step (create) and a collect step (await): each ran once.
    const clipSteps = [...steps.values()].filter((s) =>
      /^(scene-\d+\/clip|music)\/.*\/submit$/.test(s.stepId),
    );
    expect(composes).toHaveLength(4);
    expect(clipSteps).toHaveLength(scenes.length + 1);
    for (const s of [...composes, ...clipSteps]) expect(s.executions, s.stepId).toBe(1);
  }, 300_000);
});
