/**
 * The compose pass split into its stages, each run as far as that stage and no further (null
 * output): the clips decoded; + crop/scale; + fps/format/tpad/trim; + the xfade chain; + the
 * text layer (ass); + the logo overlay; the audio graph alone (with and without the AAC
 * encoder); the whole pass with x264. Each stage's cost is its difference to the one before.
 * Interleaved (A B C ... A B C), medians of wall and CPU (user + system, /usr/bin/time).
 * A tool for deciding what to make faster, not a target bench (compose-profile.ts removes one
 * piece at a time from the full pass instead).
 *
 *   COMPOSE_PROFILE=final COMPOSE_PROFILE_REPS=3 node bin/run-ts.mjs test/bench/compose-split.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAudio } from '../../src/pipeline/media/audio-calibrate.ts';
import {
  buildAudioGraph,
  buildComposeArgs,
  buildVideoGraph,
  type ComposeInput,
} from '../../src/pipeline/media/compose-graph.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/pipeline/media/profiles.ts';
import { benchSources } from './compose-fixtures.ts';
import { benchPlan, withFullLayer } from './compose-layer.ts';
import { median, timedFfmpeg } from './compose-timing.ts';

const profileName = (process.env.COMPOSE_PROFILE ?? 'final') as ProfileName;
if (!PROFILE_NAMES.includes(profileName)) throw new Error(`COMPOSE_PROFILE must be one of ${PROFILE_NAMES}`);
const profile = PROFILES[profileName];
const REPS = Math.max(1, Number.parseInt(process.env.COMPOSE_PROFILE_REPS ?? '3', 10) || 3);
const ONLY = process.env.COMPOSE_PROFILE_ONLY?.split(',');

/** The per-clip chains of a graph (`[i:v:0]...[vi]`), each cut after `upTo` and sent to its own output. */
function clipChains(graph: string, cut: (chain: string) => string): { graph: string; outs: string[] } {
  const chains = graph.split(';').filter((p) => /^\[\d+:v:0\]/.test(p));
  const outs = chains.map((_, i) => `[o${i}]`);
  return { graph: chains.map((c, i) => `${cut(c.replace(/\[v\d+\]$/, ''))}${outs[i]}`).join(';'), outs };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adgen-split-'));
  try {
    const { clips, musicPath } = await benchSources(dir, profile);
    const plan = await benchPlan(
      dir,
      clips.map((c) => c.slotS),
    );
    const src = { clipPaths: clips.map((c) => c.path), musicPath, dir };
    const at = {
      profile: profileName,
      preset: profile.name === 'final' ? 'medium' : profile.preset,
      maxBytes: 10 * 1024 * 1024,
    };
    const planned = await withFullLayer(plan, src, at, '9x16');
    const full: ComposeInput = {
      ...planned,
      ...(await measureAudio(planned)),
      outPath: join(dir, 'out.mp4'),
    };
    const args = buildComposeArgs(full);
    const inputs = args.slice(0, args.indexOf('-filter_complex'));
    const nul = ['-f', 'null', '-'];
    const video = (graph: string, outs: string[]) => [
      ...inputs,
      '-filter_complex',
      graph,
      ...outs.flatMap((o) => ['-map', o]),
      ...nul,
    ];
    const bareGraph = buildVideoGraph({ ...full, textLayer: undefined, logo: undefined });
    const cropScale = clipChains(bareGraph, (c) => c.replace(/^(.*?scale=\d+:\d+),.*$/, '$1'));
    const normalised = clipChains(bareGraph, (c) => c);
    const audio = buildAudioGraph(full, full.clips.length);
    const variants: Record<string, string[]> = {
      decode: [...inputs, ...clips.flatMap((_, i) => ['-map', `${i}:v:0`]), ...nul],
      crop_scale: video(cropScale.graph, cropScale.outs),
      normalise: video(normalised.graph, normalised.outs),
      xfade: video(bareGraph, ['[vout]']),
      ass: video(buildVideoGraph({ ...full, logo: undefined }), ['[vout]']),
      logo: video(buildVideoGraph(full), ['[vout]']),
      audio: [...inputs, '-filter_complex', audio, '-map', '[aout]', ...nul],
      audio_aac: [
        ...inputs,
        '-filter_complex',
        audio,
        '-map',
        '[aout]',
        '-c:a',
        'aac',
        '-b:a',
        `${profile.audioKbps}k`,
        ...nul,
      ],
      no_encode: [
        ...inputs,
        '-filter_complex',
        `${buildVideoGraph(full)};${audio}`,
        '-map',
        '[vout]',
        '-map',
        '[aout]',
        ...nul,
      ],
      full: args,
    };
    if (process.env.COMPOSE_SPLIT_KEEP)
      await writeFile(join(dir, 'variants.json'), JSON.stringify(variants, null, 1));
    const names = Object.keys(variants).filter((n) => !ONLY || ONLY.includes(n));
    console.log(`compose split in ${dir} (profile ${profile.name}, ${REPS} reps): ${names.join(', ')}`);
    const times: Record<string, { wall: number; cpu: number }[]> = Object.fromEntries(
      names.map((n) => [n, []]),
    );
    for (let rep = 0; rep < REPS; rep++) {
      for (const name of names) {
        const t = await timedFfmpeg(variants[name]!);
        times[name]!.push(t);
        console.log(
          `  rep ${rep + 1} ${name.padEnd(12)} wall ${t.wall.toFixed(2)} s cpu ${t.cpu.toFixed(2)} s`,
        );
      }
    }
    for (const name of names) {
      const w = median(times[name]!.map((t) => t.wall));
      const c = median(times[name]!.map((t) => t.cpu));
      console.log(`split ${profile.name} ${name.padEnd(12)} wall_s=${w.toFixed(2)} cpu_s=${c.toFixed(2)}`);
    }
  } finally {
    if (!process.env.COMPOSE_SPLIT_KEEP) await rm(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

await main();
