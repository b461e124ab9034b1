import path from 'node:path';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { fileDigest } from '../hash-file.ts';
import { buildAssDocument } from '../media/ass.ts';
import { compose } from '../media/compose.ts';
import { DEFAULT_FORMAT, FORMAT_SPECS, type FormatName, formatProfile } from '../media/formats.ts';
import { PROFILES } from '../media/profiles.ts';
import { chosenMoodKey, shortHash } from '../run-input.ts';
import { chosenMood } from './moods.ts';
import type { StoryboardScene } from './storyboard.ts';
import { planTextLayer, writeTextLayer } from './text-layer.ts';

/** One format's composed file, as its durable compose step stores it. */
export interface FormatOutput {
  format: FormatName;
  path: string;
  durationS: number;
  sizeBytes: number;
  width: number;
  height: number;
}

export interface ComposeSources {
  scenes: StoryboardScene[];
  clipPaths: string[];
  musicPath: string;
}

/**
 * One compose pass for one format, as its own durable step: the clips and music are the same
 * stored files for every format (their step ids do not name a format), so a new format costs
 * one ffmpeg pass and nothing paid. `share` is this pass's slice of the compose progress.
 */
export async function composeFormat(
  scope: RunScope,
  src: ComposeSources,
  format: FormatName,
  share: { index: number; of: number } = { index: 0, of: 1 },
): Promise<FormatOutput & { scenes: number }> {
  const { env, input, rc } = scope;
  const { scenes } = src;
  const profile = formatProfile(PROFILES[input.profile], format);
  // Words on screen, the same for every provider, laid out for this frame's own UI margins.
  const layer = planTextLayer(
    scenes.map((s) => s.scene),
    input.brief,
    await chosenMood(scope),
    profile,
    {},
    format,
  );
  const parts: unknown[] = [
    scenes.map((s) => s.key),
    chosenMoodKey(input),
    profile.name,
    input.maxBytes,
    buildAssDocument(layer),
  ];
  // The 9:16 key is what it was before formats existed: runs stored then keep their step.
  if (format !== DEFAULT_FORMAT) parts.push(format);
  const key = shortHash(JSON.stringify(parts));
  const id = `compose/${key}`;
  const tag = format === DEFAULT_FORMAT ? '' : `-${format}`;
  const out = path.join(runDir(env, rc.runId), `ad-${profile.name}${tag}-${key}.mp4`);
  const label = format === DEFAULT_FORMAT ? 'the final video' : `the ${format.replace('x', ':')} version`;
  return rc.step(
    id,
    async ({ signal }) => {
      const assPath = await writeTextLayer(path.join(runDir(env, rc.runId), `text-${key}.ass`), layer);
      const r = await compose(
        {
          textLayer: { assPath },
          reframe: FORMAT_SPECS[format].reframe,
          clips: src.clipPaths.map((p, i) => ({ path: p, slotS: scenes[i]!.scene.durationS })),
          musicPath: src.musicPath,
          profile,
          maxBytes: input.maxBytes ?? undefined,
          outPath: out,
        },
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
      return {
        ...r,
        format,
        width: profile.width,
        height: profile.height,
        sha256: (await fileDigest(r.path)).sha256,
        scenes: scenes.length,
      };
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
}
