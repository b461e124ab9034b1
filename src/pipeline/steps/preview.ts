import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, CancelledError } from '../../errors.ts';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { buildPreviewMuxArgs, buildPreviewVideoArgs, PREVIEW_SIZE } from '../media/preview-graph.ts';
import { probeMedia } from '../media/probe.ts';
import { PROFILES } from '../media/profiles.ts';
import { runBinary } from '../media/run.ts';
import { freshTempPath } from '../media/temp-files.ts';
import { synthesise } from '../providers/offline/synth.ts';
import { SAMPLE_RATE } from '../providers/offline/synth-voices.ts';
import { encodeWav } from '../providers/offline/wav.ts';
import { type RunInput, storyboardCardRev } from '../run-input.ts';
import { AD_SECONDS, type Mood } from '../schemas.ts';
import { collected, generate } from './generate.ts';
import { chosenMood } from './moods.ts';
import { musicJob } from './render.ts';
import { storyboard } from './storyboard.ts';
import { planTextLayer, writeTextLayer } from './text-layer.ts';

export interface PreviewResult {
  /** The storyboard card revision (plus music revision) it shows; one preview per key. */
  key: string;
  path: string;
  durationS: number;
  sizeBytes: number;
  width: number;
  height: number;
  /** `track`: the run's own music; `placeholder`: a free offline bed (the real one is paid). */
  music: 'track' | 'placeholder';
  voice: boolean;
  /** Wall time from the stored storyboard to the finished file. */
  seconds: number;
}

export const previewKey = (i: RunInput) => `${storyboardCardRev(i)}${i.musicRev ? `-mu${i.musicRev}` : ''}`;
export const previewStepId = (i: RunInput) => `preview/${previewKey(i)}`;

/**
 * The voice-over lines of the ad, placed on its timeline. The voice-over work plugs in here; until
 * then an ad has none, and the preview mixes the music alone.
 */
export async function previewVoice(_scope: RunScope): Promise<{ path: string; startS: number }[]> {
  return [];
}

/**
 * The music under the preview. A preview must be free and fast: the run's own track when it is
 * already made, or when the music provider is free (offline) — then it is the render's very step,
 * made once. A paid track (Replicate: cents and ~30-60 s) is never bought for a preview; a
 * placeholder bed from the offline synthesiser, in the mood's tempo, stands in for it.
 */
async function previewMusic(scope: RunScope, mood: Mood): Promise<{ path: string | null; free: boolean }> {
  const { env, rc, input } = scope;
  const { id, job } = musicJob(scope, mood);
  const made = await collected(rc, id, input.retryRev);
  if (made?.files[0]) return { path: made.files[0].path, free: true };
  if ((env.providers.music.estimateUsd?.(job) ?? 0) > 0) return { path: null, free: false };
  const [track] = await generate(scope, id, env.providers.music, job, 'music');
  return { path: track ?? null, free: true };
}

async function placeholderBed(mood: Mood, seed: number, out: string, signal: AbortSignal): Promise<string> {
  const bus = await synthesise({
    durationS: AD_SECONDS,
    tempoBpm: mood.tempoBpm,
    keywords: mood.styleKeywords,
    seed,
    signal,
  });
  await writeFile(out, encodeWav(bus, SAMPLE_RATE));
  return out;
}

/** The free animatic of the storyboard on show, as a durable step: made (and posted) once per key. */
export async function preview(scope: RunScope): Promise<PreviewResult> {
  const { env, rc, input } = scope;
  const started = Date.now();
  const key = previewKey(input);
  // Reads back the stored storyboard.
  const scenes = await storyboard(scope);
  const mood = await chosenMood(scope);
  const voice = await previewVoice(scope);
  const total = scenes.reduce((sum, x) => sum + x.scene.durationS, 0);
  return rc.step(previewStepId(input), async ({ signal }) => {
    // Free work yields to paid work: its processes take a media slot only when no other media
    // task waits (limit.ts), and it starts at all only then, so on a busy worker an approval
    // stops it before it has spent anything (preview-stop.ts).
    const { limit } = env.bins;
    const background: typeof limit = limit && ((task) => limit(task, { background: true }));
    await background?.(async () => undefined);
    if (signal.aborted) throw new CancelledError();
    const dir = runDir(env, rc.runId);
    const size = PREVIEW_SIZE;
    const layer = planTextLayer(
      scenes.map((s) => s.scene),
      input.brief,
      mood,
      { ...PROFILES.draft, ...size },
    );
    const assPath = await writeTextLayer(path.join(dir, `preview-${key}.ass`), layer);
    const out = path.join(dir, `preview-${key}.mp4`);
    const pictures = freshTempPath(`${out}.video`);
    const part = freshTempPath(out);
    const run = (args: string[]) => runBinary(env.bins.ffmpeg, args, { signal, limit: background });
    // The pictures encode in ffmpeg while the music is made here (synthesis runs in this process):
    // on two cores the two overlap, which is most of what keeps the preview under 10 s.
    const video = run(
      buildPreviewVideoArgs({
        scenes: scenes.map((s) => ({ imagePath: s.image, slotS: s.scene.durationS })),
        textLayer: { assPath },
        outPath: pictures,
        size,
      }),
    );
    video.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    let durationS = 0;
    let free = false;
    try {
      // Inside the step: once the preview is stored, asking for it again makes no music.
      const music = await previewMusic(scope, mood);
      free = music.free;
      const musicPath =
        music.path ?? (await placeholderBed(mood, input.seed, path.join(dir, `preview-${key}.wav`), signal));
      await video;
      await run(buildPreviewMuxArgs({ videoPath: pictures, totalS: total, musicPath, voice, outPath: part }));
      const info = await probeMedia(part, { ...env.bins, limit: background });
      durationS = info.durationS;
      if (!info.video || !info.audio || Math.abs(info.durationS - total) > 0.5)
        throw new AppError(
          'preview_invalid',
          `the preview came out ${info.durationS}s without all its streams`,
        );
      await rename(part, out);
    } catch (err) {
      await video.catch(() => undefined);
      await rm(part, { force: true }).catch(() => undefined);
      throw err;
    } finally {
      await rm(pictures, { force: true }).catch(() => undefined);
    }
    return {
      key,
      path: out,
      durationS,
      sizeBytes: (await stat(out)).size,
      width: size.width,
      height: size.height,
      music: free ? 'track' : 'placeholder',
      voice: voice.length > 0,
      seconds: (Date.now() - started) / 1000,
    };
  });
}
