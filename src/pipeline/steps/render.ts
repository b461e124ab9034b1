import path from 'node:path';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { createLimiter } from '../limit.ts';
import { DEFAULT_FORMAT, formatProfile } from '../media/formats.ts';
import { previewFrame } from '../media/preview-frame.ts';
import { PROFILES, type Profile } from '../media/profiles.ts';
import type { MusicInput, VideoInput } from '../providers/ports.ts';
import { musicKey, stepSeed, takeKey } from '../run-input.ts';
import { AD_SECONDS, MAX_SCENE_S, MIN_SCENE_S, type Mood } from '../schemas.ts';
import { settleAll } from '../settle.ts';
import { clipPreviews } from './clip-previews.ts';
import { type ComposedFormat, composedHere, composeFormat, type FormatOutput } from './compose-format.ts';
import { collected, generate } from './generate.ts';
import { chosenMood } from './moods.ts';
import { type RenderAudioGains, renderAudio } from './render-audio.ts';
import { type StoryboardScene, storyboard } from './storyboard.ts';
import { type VoiceOver, voiceOver } from './voice.ts';

export interface RenderResult {
  /** The first format's file (9:16 unless the run asked for another first). */
  path: string;
  durationS: number;
  sizeBytes: number;
  scenes: number;
  /** Captions of the voice-over as SubRip, next to the video; null without a voice-over. */
  srtPath?: string | null;
  /** The voice it speaks in, null without one. */
  voice?: string | null;
  /** Things people should know about this video, e.g. "made without voice-over: <reason>". */
  notices?: string[];
  /** The paid generation steps this render used (clips, music): what a version's cost is made of. */
  paid?: string[];
  /** Every format composed, the first one included; absent in results stored before formats. */
  formats?: FormatOutput[];
}

/**
 * Clips are generated at most at 720x1280 (what image-to-video models produce at 720p); the
 * composer scales them to the profile in its single pass.
 */
export function clipSize(profile: Profile): { width: number; height: number } {
  return profile.width > 720
    ? { width: 720, height: 1280 }
    : { width: profile.width, height: profile.height };
}

/** The clip job of one scene: its step id (which names what it depends on) and model input. */
export function clipJob(
  scope: RunScope,
  s: Pick<StoryboardScene, 'index' | 'source' | 'key' | 'scene' | 'image'>,
) {
  const { input } = scope;
  const profile = PROFILES[input.profile];
  const size = clipSize(profile);
  // Named by what the clip is (size, fps), not by profile: final and draft share their clips, so
  // switching a render to draft (to fit an upload limit) re-composes without paying again.
  // Named by the scene's place in the plan: a swapped scene keeps the clip it already has. A new
  // take (takeRev) is a new id, hence a new seed: same storyboard, another clip.
  const id = `scene-${s.source ?? s.index}/clip/${s.key}/${size.width}x${size.height}@${profile.fps}${takeKey(input)}`;
  const job: VideoInput = {
    imagePath: s.image,
    prompt: `${s.scene.description}. ${s.scene.stylePrompt}`,
    durationS: Math.min(MAX_SCENE_S, Math.max(MIN_SCENE_S, s.scene.durationS)),
    ...size,
    fps: profile.fps,
    seed: stepSeed(input.seed, id),
  };
  return { id, job };
}

/** The music job for the chosen mood. */
export function musicJob(scope: RunScope, mood: Mood) {
  const { input } = scope;
  // A music edit or "Change music" (musicRev) is a new track; unedited runs keep their id.
  const id = `music/${musicKey(input)}`;
  const tempoBpm = input.musicTempoBpm ?? mood.tempoBpm;
  const note = input.musicNote ? `; ${input.musicNote}` : '';
  const job: MusicInput = {
    prompt: `Instrumental music bed for a ${mood.name.toLowerCase()} video ad: ${mood.styleKeywords.join(', ')}; ${input.brief.tone.join(', ')}${note}; ${tempoBpm} bpm, no vocals`,
    durationS: AD_SECONDS,
    tempoBpm,
    keywords: [...mood.styleKeywords, ...input.brief.tone, ...(input.musicNote ? [input.musicNote] : [])],
    seed: stepSeed(input.seed, id),
  };
  return { id, job };
}

async function clips(scope: RunScope, scenes: StoryboardScene[]): Promise<string[]> {
  const { env, rc } = scope;
  const limit = createLimiter(env.clipConcurrency);
  // After a restart the clips already collected count from the first report on (read-only peek),
  // otherwise the status would say 0 done until the next new clip lands.
  const stored = async (id: string) => (await collected(rc, id, scope.input.retryRev)) !== undefined;
  const already = new Set<number>();
  for (const s of scenes) if (await stored(clipJob(scope, s).id)) already.add(s.index);
  let done = already.size;
  let previewPath: string | undefined;
  const report = () =>
    env.progress.report({
      ...(previewPath ? { previewPath } : {}),
      runId: rc.runId,
      stage: 'clips',
      fraction: (done / scenes.length) * 0.7,
      stageFraction: done / scenes.length,
      clipsDone: done,
      clipsTotal: scenes.length,
      message: `Animating scenes: ${done}/${scenes.length} clips ready`,
    });
  report();
  // Frames are made beside the clips, never waited for: the compose starts as the last clip is in.
  const previews = env.progress.previews
    ? clipPreviews(
        (c, stop) => previewFrame(env.bins, c.clip, c.durationS, c.out, AbortSignal.any([rc.signal, stop])),
        (p) => {
          previewPath = p;
          report();
        },
      )
    : undefined;
  try {
    return await settleAll(
      scenes.map((s) =>
        limit(async () => {
          const { id, job } = clipJob(scope, s);
          const [clip] = await generate(scope, id, env.providers.video, job, 'clip');
          if (!clip) throw new Error(`scene ${s.index + 1}: the video provider returned no clip`);
          if (!already.has(s.index)) {
            done++;
            report();
            const out = path.join(runDir(env, rc.runId), `preview-${s.index}-${s.key}.jpg`);
            if (done < scenes.length) previews?.landed({ clip, durationS: job.durationS, out });
          }
          return clip;
        }),
      ),
    );
  } finally {
    previews?.close();
  }
}

async function music(scope: RunScope): Promise<string> {
  const { id, job } = musicJob(scope, await chosenMood(scope));
  const [track] = await generate(scope, id, scope.env.providers.music, job, 'music');
  if (!track) throw new Error('the music provider returned no track');
  return track;
}

/** Every file a render names (each format's video, the captions) is on this machine, whole. */
export async function renderFilesHere(r: RenderResult): Promise<boolean> {
  const first = { path: r.path, sizeBytes: r.sizeBytes, srtPath: r.srtPath };
  const checks = [first, ...(r.formats ?? []).map((f) => ({ path: f.path, sizeBytes: f.sizeBytes }))];
  return (await Promise.all(checks.map(composedHere))).every(Boolean);
}

/**
 * Clips (bounded concurrency), music and the voice-over in parallel, then one ffmpeg pass per
 * format, each its own durable step, one after the other (they would only fight over the same
 * cores). The voice is spoken once; each format lays out its own text layer and captions.
 */
export async function render(scope: RunScope): Promise<RenderResult> {
  const { input } = scope;
  const scenes = await storyboard(scope);
  const track = music(scope);
  const spoken = voiceOver(scope, scenes);
  // The audio is measured as soon as music and voice exist, while the clips are still coming.
  const [clipPaths, musicPath, voice, audio] = (await settleAll<
    string | string[] | VoiceOver | RenderAudioGains | undefined
  >([clips(scope, scenes), track, spoken, renderAudio(scope, scenes, track, spoken)])) as [
    string[],
    string,
    VoiceOver,
    RenderAudioGains | undefined,
  ];
  const mood = await chosenMood(scope);
  const paid = [...scenes.map((s) => clipJob(scope, s).id), musicJob(scope, mood).id];
  const formats = input.formats ?? [DEFAULT_FORMAT];
  const outputs: FormatOutput[] = [];
  let first: ComposedFormat | undefined;
  for (const [index, format] of formats.entries()) {
    const r = await composeFormat(scope, { scenes, clipPaths, musicPath, voice, paid, audio }, format, {
      index,
      of: formats.length,
    });
    first ??= r;
    const profile = formatProfile(PROFILES[input.profile], format);
    // A 9:16 result stored before formats existed has no format fields: it is the profile's.
    outputs.push({
      format,
      path: r.path,
      durationS: r.durationS,
      sizeBytes: r.sizeBytes,
      width: r.width ?? profile.width,
      height: r.height ?? profile.height,
    });
  }
  const r = first!;
  return {
    path: r.path,
    durationS: r.durationS,
    sizeBytes: r.sizeBytes,
    scenes: scenes.length,
    srtPath: r.srtPath ?? null,
    voice: r.voice ?? null,
    notices: r.notices ?? [],
    paid: r.paid ?? paid,
    formats: outputs,
  };
}
