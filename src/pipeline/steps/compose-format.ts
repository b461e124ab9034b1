import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { fileDigest } from '../hash-file.ts';
import { buildAssDocument } from '../media/ass.ts';
import { compose } from '../media/compose.ts';
import { DEFAULT_FORMAT, type FormatName } from '../media/formats.ts';
import { chosenMoodKey, shortHash } from '../run-input.ts';
import { formatComposeInput, planFormat } from './format-plan.ts';
import { present } from './local-media.ts';
import { chosenMood } from './moods.ts';
import type { RenderAudioGains } from './render-audio.ts';
import type { StoryboardScene } from './storyboard.ts';
import { writeTextLayer } from './text-layer.ts';
import type { VoiceOver } from './voice.ts';

/** One format's composed file, as its durable compose step stores it. */
export interface FormatOutput {
  format: FormatName;
  path: string;
  durationS: number;
  sizeBytes: number;
  width: number;
  height: number;
}

/** What every format's compose shares: made (and paid for) once per render. */
export interface ComposeSources {
  scenes: StoryboardScene[];
  clipPaths: string[];
  musicPath: string;
  /** Spoken once; each format places its captions on its own text layer. */
  voice: VoiceOver;
  /** The paid steps these sources came from (clip ids, then the music's id). */
  paid: string[];
  /** Measured before the clips were ready (render-audio.ts); compose measures when absent. */
  audio?: RenderAudioGains;
}

/** A compose step's stored result; fields added later are absent in results stored before them. */
export interface ComposedFormat {
  path: string;
  durationS: number;
  sizeBytes: number;
  scenes: number;
  format?: FormatName;
  width?: number;
  height?: number;
  srtPath?: string | null;
  voice?: string | null;
  notices?: string[];
  paid?: string[];
}

/** A compose's files (the video, whole, and its captions) are on this machine. */
export async function composedHere(
  r: Pick<ComposedFormat, 'path' | 'sizeBytes' | 'srtPath'>,
): Promise<boolean> {
  const files = [{ path: r.path, bytes: r.sizeBytes }, ...(r.srtPath ? [{ path: r.srtPath }] : [])];
  return (await Promise.all(files.map(present))).every(Boolean);
}

/**
 * One compose pass for one format, as its own durable step: the clips, music and voice lines are
 * the same stored files for every format (their step ids do not name a format), so a new format
 * costs one ffmpeg pass and nothing paid. `share` is this pass's slice of the compose progress.
 */
export async function composeFormat(
  scope: RunScope,
  src: ComposeSources,
  format: FormatName,
  share: { index: number; of: number } = { index: 0, of: 1 },
): Promise<ComposedFormat> {
  const { env, input, rc } = scope;
  const { scenes, voice } = src;
  const mood = await chosenMood(scope);
  const plan = await planFormat(
    { scenes, brief: input.brief, mood, brand: input.brand, voice },
    input.profile,
    format,
  );
  const { profile, parts, logo } = plan;
  const { layer, voices } = parts;
  const musicStep = src.paid.at(-1);
  const keyParts: unknown[] = [
    scenes.map((s) => s.key),
    chosenMoodKey(input),
    profile.name,
    input.maxBytes,
    buildAssDocument(layer),
    // Only when edited, so the compose ids of unedited runs stay what they were.
    ...(input.sceneOrder ? [scenes.map((s) => s.source)] : []),
    ...(input.musicRev ? [musicStep] : []),
    // Only with a logo, so the compose of a run without one keeps its step id.
    ...(logo ? [input.brand?.logo?.sha256] : []),
    ...parts.key,
    // Only when set, so renders stored before takes and music changes keep their ids.
    ...(input.takeRev || input.musicRev ? [input.takeRev, input.musicRev] : []),
  ];
  // The 9:16 key is what it was before formats existed: runs stored then keep their step.
  if (format !== DEFAULT_FORMAT) keyParts.push(format);
  const key = shortHash(JSON.stringify(keyParts));
  const id = `compose/${key}`;
  const tag = format === DEFAULT_FORMAT ? '' : `-${format}`;
  const out = path.join(runDir(env, rc.runId), `ad-${profile.name}${tag}-${key}.mp4`);
  const label = format === DEFAULT_FORMAT ? 'the final video' : `the ${format.replace('x', ':')} version`;
  return rc.step(
    id,
    async ({ signal }) => {
      const assPath = await writeTextLayer(path.join(runDir(env, rc.runId), `text-${key}.ass`), layer);
      const r = await compose(
        formatComposeInput(plan, format, src, {
          assPath,
          outPath: out,
          maxBytes: input.maxBytes ?? undefined,
        }),
        {
          bins: env.bins,
          signal,
          onProgress: (f) => {
            const done = (share.index + f) / share.of;
            env.progress.report({
              runId: rc.runId,
              stage: 'compose',
              fraction: 0.7 + 0.3 * done,
              stageFraction: done,
              clipsDone: scenes.length,
              clipsTotal: scenes.length,
              message: `Composing ${label}: ${Math.round(f * 100)}%`,
            });
          },
        },
      );
      const srtPath = parts.srt ? out.replace(/\.mp4$/, '.srt') : null;
      if (srtPath) await writeFile(srtPath, parts.srt!, 'utf8');
      return {
        ...r,
        format,
        width: profile.width,
        height: profile.height,
        sha256: (await fileDigest(r.path)).sha256,
        scenes: scenes.length,
        srtPath,
        voice: voices.length ? voice.voice : null,
        notices: voice.notice ? [voice.notice] : [],
        paid: src.paid,
      };
    },
    {
      // Composed by another worker (no shared disk): composed again here from the same sources.
      reusable: (r) => composedHere(r),
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
}
