import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

describe('at the default configuration every scene clip starts at once', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  beforeAll(async () => {
    // Clips and music take a while on the fake, so everything started together overlaps.
    fakes = await startFakes({ latencyMs: { image: 30, video: 1_500, audio: 1_500 } });
    const env: Record<string, string> = { ...fakes.env };
    delete env.ADGEN_CLIP_CONCURRENCY;
    t = tempApp(env);
  });
  afterAll(async () => {
    t.cleanup();
    await fakes.close();
  });

  it('runs all clips and the music side by side: one round of clip latency, not three', async () => {
    expect(t.config.clipConcurrency).toBe(7);
    const runId = 'run-together';
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    const scenes = await t.pipeline.storyboard(runId);
    const before = fakes.replicate.stats.peakRunning;
    await t.pipeline.render(runId);
    // Every clip plus the music at once (with the old default of 3 clips the peak was 4).
    expect(fakes.replicate.stats.peakRunning).toBeGreaterThanOrEqual(Math.max(before, scenes.length + 1));
  });
});
