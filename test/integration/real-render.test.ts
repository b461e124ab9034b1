import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { moovBeforeMdat, probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

describe('full render on the real openai + replicate clients against loopback fakes (tiny)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  const runId = 'run-real';
  beforeAll(async () => {
    fakes = await startFakes();
    t = tempApp(fakes.env);
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
  });
  afterAll(async () => {
    t.cleanup();
    await fakes.close();
  });

  it('uses OpenAI for planning and Replicate for media', () => {
    expect(t.providerSummary).toMatch(/OpenAI gpt-4o/);
    expect(t.providerSummary).toMatch(
      /image: Replicate flux-schnell · video: Replicate seedance-1-pro-fast · music: Replicate stable-audio-2\.5/,
    );
  });

  it('plans moods with sample images, a storyboard with a cost estimate, then renders an MP4', async () => {
    const boards = await t.pipeline.moodBoards(runId);
    expect(boards.map((b) => b.mood.name)).toEqual(['Morning Glow', 'Neon Night', 'Quiet Paper']);
    for (const b of boards) expect(b.images).toHaveLength(2);
    await chooseMood(t, runId, 1);
    // An estimate never plans or pays for anything: without a storyboard there is nothing to price.
    await expect(t.pipeline.estimateRenderCost(runId)).rejects.toMatchObject({ code: 'not_ready' });
    const scenes = await t.pipeline.storyboard(runId);
    expect(scenes.map((s) => s.scene.durationS)).toEqual([4, 5, 5, 5, 5, 6]);

    const estimate = await t.pipeline.estimateRenderCost(runId);
    // tiny clips are 480p: $0.015/s * 30 s of clips + one stable-audio generation at $0.20.
    expect(estimate.lines).toHaveLength(7);
    expect(estimate.totalUsd).toBeCloseTo(0.45 + 0.2, 6);
    const spentBefore = await t.runs.spendUsd(runId);
    expect(spentBefore).toBeCloseTo(0.003 * (3 * 2 + 6), 6);

    const out = await t.pipeline.render(runId);
    const info = await probeMedia(out.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    expect(info.video).toMatchObject({ width: 144, height: 256, codec: 'h264' });
    expect(info.audio?.codec).toBe('aac');
    expect(await moovBeforeMdat(out.path)).toBe(true);

    const creates = fakes.replicate.createsByModel();
    expect(creates).toEqual({
      'black-forest-labs/flux-schnell': 9,
      'bytedance/seedance-1-pro-fast': 6,
      'stability-ai/stable-audio-2.5': 1,
    });
    // Music is billed per generation, whatever its length.
    expect(await t.runs.spendUsd(runId)).toBeCloseTo(spentBefore + 0.45 + 0.2, 6);
    const after = await t.pipeline.estimateRenderCost(runId);
    expect(after.totalUsd).toBe(0);
    expect(after.lines.every((l) => l.what.includes('already made'))).toBe(true);
  });

  it('sent Cancel-After with every prediction and never a second create', () => {
    for (const p of fakes.replicate.predictions.values()) expect(p.cancelAfterMs).toBe(900_000);
    expect(fakes.replicate.stats.creates).toBe(16);
    expect(fakes.replicate.stats.createAttempts).toHaveLength(16);
  });
});
