import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { LOUDNESS_TARGET } from '../../src/pipeline/media/loudness.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { quietMusicMedia } from '../fakes/replicate-media.ts';
import { chooseMood, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

/** ebur128's summary of a file's first audio stream, read independently of the code under test. */
async function loudnessOf(path: string): Promise<{ lufs: number; peak: number }> {
  const { stderrTail } = await runBinary('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:a:0'],
    ...['-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
  ]);
  const summary = stderrTail.slice(stderrTail.lastIndexOf('Summary:'));
  return {
    lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    peak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]),
  };
}

describe('a quiet track from the music provider (real replicate client, loopback fake)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  const served: string[] = [];
  const runId = 'run-quiet-music';
  beforeAll(async () => {
    fakes = await startFakes({
      mediaFor: (p) => {
        if (p.kind !== 'audio') return undefined;
        served.push(p.id);
        return quietMusicMedia(Number(p.input.duration ?? 30));
      },
    });
    t = tempApp(fakes.env);
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5 }));
  });
  afterAll(async () => {
    t?.cleanup();
    await fakes?.close();
  });

  it('ends up at -14 LUFS with true peak <= -1 dBTP in the delivered video', async () => {
    const provided = await loudnessOf(await quietMusicMedia(30));
    expect(provided.lufs).toBeLessThan(-32);
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    await t.pipeline.storyboard(runId);
    const out = await t.pipeline.render(runId);
    // The fake really served the quiet track, once, to the real client.
    expect(served).toHaveLength(1);
    expect(fakes.replicate.createsByModel()['stability-ai/stable-audio-2.5']).toBe(1);
    const mix = await loudnessOf(out.path);
    console.log(
      `provider music ${provided.lufs} LUFS -> delivered ${mix.lufs} LUFS, true peak ${mix.peak} dBTP`,
    );
    expect(Math.abs(mix.lufs - LOUDNESS_TARGET.integratedLufs)).toBeLessThanOrEqual(
      LOUDNESS_TARGET.toleranceLu,
    );
    expect(mix.peak).toBeLessThanOrEqual(LOUDNESS_TARGET.truePeakDbtp);
  });
});
