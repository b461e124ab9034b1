/**
 * Where the one compose pass spends its time: the full-layer pass of bench:compose, then the
 * same pass with one piece taken away at a time, interleaved (A B C ... A B C), medians of wall
 * and CPU time (user + system, from /usr/bin/time: CPU time drifts far less than wall time on a
 * shared machine). Not a target bench; a tool for deciding what to make faster.
 *
 *   COMPOSE_PROFILE=draft COMPOSE_PROFILE_REPS=3 node bin/run-ts.mjs test/bench/compose-profile.ts
 *   COMPOSE_PROFILE_ONLY=full,no_logo ... runs only those variants.
 *
 * `xfade_chain` and `logo_enable` are the graph as it was before a change (compose-before.ts):
 * one xfade chain over whole clips, and the logo overlaid over the whole ad with `enable=`.
 * compose-split.ts splits the pass by stage instead (decode, scale, crossfades, text, logo,
 * audio, encoder).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAudio } from '../../src/pipeline/media/audio-calibrate.ts';
import {
  buildComposeArgs,
  buildVideoGraph,
  type ComposeInput,
} from '../../src/pipeline/media/compose-graph.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/pipeline/media/profiles.ts';
import { logoOverEverything, xfadeChain } from './compose-before.ts';
import { benchSources } from './compose-fixtures.ts';
import { benchPlan, withFullLayer } from './compose-layer.ts';
import { median, timedFfmpeg } from './compose-timing.ts';

const profileName = (process.env.COMPOSE_PROFILE ?? 'draft') as ProfileName;
if (!PROFILE_NAMES.includes(profileName)) throw new Error(`COMPOSE_PROFILE must be one of ${PROFILE_NAMES}`);
const profile = PROFILES[profileName];
const REPS = Math.max(1, Number.parseInt(process.env.COMPOSE_PROFILE_REPS ?? '3', 10) || 3);
const ONLY = process.env.COMPOSE_PROFILE_ONLY?.split(',');

const graphOf = (args: string[]) => args[args.indexOf('-filter_complex') + 1]!;

/** The compose args with the graph replaced, or output options swapped. */
function withGraph(args: string[], graph: string): string[] {
  if (graph === graphOf(args)) throw new Error('a rewrite of the graph changed nothing');
  const out = [...args];
  out[out.indexOf('-filter_complex') + 1] = graph;
  return out;
}
/** The clip chain as it was: scale up to cover the frame, then crop (compose-graph.ts now crops first). */
const scaleFirst = (graph: string) =>
  graph.replace(
    /crop=w='trunc\(min\(iw,ih\*(\d+)\/(\d+)\)\/2\)\*2':h='[^']+',scale=\d+:\d+,/g,
    (_, w, h) => `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},`,
  );
const silentAudio = (input: ComposeInput, total: number) =>
  `[${input.clips.length}:a:0]aformat=sample_rates=48000:channel_layouts=stereo,atrim=0:${total}[aout]`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adgen-profile-'));
  try {
    const { clips, musicPath } = await benchSources(dir, profile);
    const plan = await benchPlan(
      dir,
      clips.map((c) => c.slotS),
    );
    const src = { clipPaths: clips.map((c) => c.path), musicPath, dir };
    const at = { profile: profileName, preset: profile.preset, maxBytes: 10 * 1024 * 1024 };
    const planned = await withFullLayer(plan, src, at, '9x16');
    const full: ComposeInput = {
      ...planned,
      ...(await measureAudio(planned)),
      outPath: join(dir, 'out.mp4'),
    };
    const total = clips.reduce((s, c) => s + c.slotS, 0);
    const args = buildComposeArgs(full);
    const nullOut = (a: string[]) => [...a.slice(0, a.indexOf('-c:v')), '-f', 'null', '-'];
    const variants: Record<string, string[]> = {
      full: args,
      no_logo: buildComposeArgs({ ...full, logo: undefined }),
      no_text: buildComposeArgs({ ...full, textLayer: undefined }),
      no_text_no_logo: buildComposeArgs({ ...full, textLayer: undefined, logo: undefined }),
      no_voice: buildComposeArgs({ ...full, voices: undefined }),
      silent_audio: withGraph(args, `${buildVideoGraph(full)};${silentAudio(full, total)}`),
      // Decode + every filter, nothing encoded (null muxer, wrapped frames).
      no_encode: nullOut(args),
      no_encode_no_layer: nullOut(buildComposeArgs({ ...full, textLayer: undefined, logo: undefined })),
      // The clips decoded (as compose limits them), no filter at all.
      decode_only: [
        ...args.slice(0, args.indexOf('-filter_complex')),
        ...clips.flatMap((_, i) => ['-map', `${i}:v:0`]),
        '-f',
        'null',
        '-',
      ],
      fc_threads_1: ['-filter_complex_threads', '1', ...args],
      // Before/after of changes made (the old way as a rewrite of the graph), and ideas.
      scale_first: withGraph(args, scaleFirst(graphOf(args))),
      xfade_chain: withGraph(args, xfadeChain(graphOf(args), full)),
      logo_enable: withGraph(args, logoOverEverything(graphOf(args), full)),
      // Tried and dropped (no gain measured): the logo converted to yuva420p once.
      logo_yuva: withGraph(args, graphOf(args).replace('format=rgba,loop', 'format=yuva420p,loop')),
      bilinear: withGraph(
        args,
        graphOf(args).replace(/(crop=w='[^']+':h='[^']+',scale=\d+:\d+)/g, '$1:flags=bilinear'),
      ),
    };
    const names = Object.keys(variants).filter((n) => !ONLY || ONLY.includes(n));
    console.log(`compose profile in ${dir} (profile ${profile.name}, ${REPS} reps): ${names.join(', ')}`);
    const times: Record<string, { wall: number; cpu: number }[]> = Object.fromEntries(
      names.map((n) => [n, []]),
    );
    for (let rep = 0; rep < REPS; rep++) {
      for (const name of names) {
        const t = await timedFfmpeg(variants[name]!.slice(0));
        times[name]!.push(t);
        console.log(
          `  rep ${rep + 1} ${name.padEnd(20)} wall ${t.wall.toFixed(2)} s cpu ${t.cpu.toFixed(2)} s`,
        );
      }
    }
    for (const name of names) {
      const w = median(times[name]!.map((t) => t.wall));
      const c = median(times[name]!.map((t) => t.cpu));
      console.log(`profile ${profile.name} ${name.padEnd(20)} wall_s=${w.toFixed(2)} cpu_s=${c.toFixed(2)}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
