import path from 'node:path';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { fileDigest } from '../hash-file.ts';
import { createLimiter } from '../limit.ts';
import { buildAssDocument } from '../media/ass.ts';
import { compose } from '../media/compose.ts';
import { PROFILES, type Profile } from '../media/profiles.ts';
import type { MusicInput, VideoInput } from '../providers/ports.ts';
import { chosenMoodKey, musicKey, shortHash, stepSeed, takeKey } from '../run-input.ts';
import { AD_SECONDS, MAX_SCENE_S, MIN_SCENE_S, type Mood } from '../schemas.ts';
import { settleAll } from '../settle.ts';
import { collected, generate } from './generate.ts';
import { chosenMood } from './moods.ts';
import { type StoryboardScene, storyboard } from './storyboard.ts';
import { planTextLayer, writeTextLayer } from './text-layer.ts';

export interface RenderResult {
  path: string;
  durationS: number;
  sizeBytes: number;
  scenes: number;
  /** The paid generation steps this render used (clips, music): what a version's cost is made of. */
  paid?: string[];
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
export function clipJob(scope: RunScope, s: Pick<StoryboardScene, 'index' | 'key' | 'scene' | 'image'>) {
  const { input } = scope;
  const profile = PROFILES[input.profile];
  const size = clipSize(profile);
  // Named by what the clip is (size, fps), not by profile: final and draft share their clips, so
  // switching a render to draft (to fit an upload limit) re-composes without paying again.
  // A new take (takeRev) is a new id, hence a new seed: same storyboard, another clip.
  const id = `scene-${s.index}/clip/${s.key}/${size.width}x${size.height}@${profile.fps}${takeKey(input)}`;
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
  const id = `music/${musicKey(input)}`;
  const job: MusicInput = {
    prompt: `Instrumental music bed for a ${mood.name.toLowerCase()} video ad: ${mood.styleKeywords.join(', ')}; ${input.brief.tone.join(', ')}; ${mood.tempoBpm} bpm, no vocals`,
    durationS: AD_SECONDS,
    tempoBpm: mood.tempoBpm,
    keywords: [...mood.styleKeywords, ...input.brief.tone],
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
  const report = () =>
    env.progress.report({
      runId: rc.runId,
      stage: 'clips',
      fraction: (done / scenes.length) * 0.7,
      stageFraction: done / scenes.length,
      clipsDone: done,
      clipsTotal: scenes.length,
      message: `Animating scenes: ${done}/${scenes.length} clips ready`,
    });
  report();
  return settleAll(
    scenes.map((s) =>
      limit(async () => {
        const { id, job } = clipJob(scope, s);
        const [clip] = await generate(scope, id, env.providers.video, job, 'clip');
        if (!clip) throw new Error(`scene ${s.index + 1}: the video provider returned no clip`);
        if (!already.has(s.index)) {
          done++;
          report();
        }
        return clip;
      }),
    ),
  );
}

async function music(scope: RunScope): Promise<string> {
  const { id, job } = musicJob(scope, await chosenMood(scope));
  const [track] = await generate(scope, id, scope.env.providers.music, job, 'music');
  if (!track) throw new Error('the music provider returned no track');
  return track;
}

/** Clips (bounded concurrency) and music in parallel, then one ffmpeg pass into the final MP4. */
export async function render(scope: RunScope): Promise<RenderResult> {
  const { env, input, rc } = scope;
  const scenes = await storyboard(scope);
  const [clipPaths, track] = (await settleAll<string | string[]>([clips(scope, scenes), music(scope)])) as [
    string[],
    string,
  ];
  const profile = PROFILES[input.profile];
  // Words on screen, the same for every provider; their document is part of what is composed.
  const layer = planTextLayer(
    scenes.map((s) => s.scene),
    input.brief,
    await chosenMood(scope),
    profile,
  );
  const key = shortHash(
    JSON.stringify([
      scenes.map((s) => s.key),
      chosenMoodKey(input),
      profile.name,
      input.maxBytes,
      buildAssDocument(layer),
      // Only when set, so renders stored before takes and music changes keep their ids.
      ...(input.takeRev || input.musicRev ? [input.takeRev, input.musicRev] : []),
    ]),
  );
  const id = `compose/${key}`;
  const paid = [...scenes.map((s) => clipJob(scope, s).id), musicJob(scope, await chosenMood(scope)).id];
  const out = path.join(runDir(env, rc.runId), `ad-${profile.name}-${key}.mp4`);
  const result = await rc.step(
    id,
    async ({ signal }) => {
      const assPath = await writeTextLayer(path.join(runDir(env, rc.runId), `text-${key}.ass`), layer);
      const r = await compose(
        {
          textLayer: { assPath },
          clips: clipPaths.map((p, i) => ({ path: p, slotS: scenes[i]!.scene.durationS })),
          musicPath: track,
          profile,
          maxBytes: input.maxBytes ?? undefined,
          outPath: out,
        },
        {
          bins: env.bins,
          signal,
          onProgress: (f) =>
            env.progress.report({
              runId: rc.runId,
              stage: 'compose',
              fraction: 0.7 + 0.3 * f,
              stageFraction: f,
              clipsDone: scenes.length,
              clipsTotal: scenes.length,
              message: `Composing the final video: ${Math.round(f * 100)}%`,
            }),
        },
      );
      return { ...r, sha256: (await fileDigest(r.path)).sha256, scenes: scenes.length, paid };
    },
    {
      alsoWrite: (r, runs) =>
        runs.recordAsset({
          runId: rc.runId,
          stepId: id,
          kind: 'video',
          path: r.path,
          sha256: r.sha256,
          bytes: r.sizeBytes,
        }),
    },
  );
  return {
    path: result.path,
    durationS: result.durationS,
    sizeBytes: result.sizeBytes,
    scenes: result.scenes,
    paid: result.paid,
  };
}
