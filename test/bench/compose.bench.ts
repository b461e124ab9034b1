/**
 * One-pass compose with the full layer vs the same pass without it vs the naive multi-pass chain
 * vs a plain-encode floor, then each further format (4:5, 1:1, 16:9) as its own compose with its
 * full layer. Run with `npm run bench:compose` (profile final, x264 `medium`, 3 reps); the last
 * line is machine-readable. Variants run interleaved (A B C D E F G A B C ...) and each figure is
 * a median, so load drift on a shared machine hits every variant alike. The full layer is built
 * through render's own functions (compose-layer.ts): text layer, captions timed to a voice-over,
 * voice lines with the music ducked under them, loudness, and a brand logo on the end card.
 *
 * Smoke run: COMPOSE_BENCH_PROFILE=tiny COMPOSE_BENCH_REPS=1 npm run bench:compose
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureAudio } from '../../src/pipeline/media/audio-calibrate.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import {
  buildComposeArgs,
  buildVideoGraph,
  type ComposeInput,
  totalDurationS,
  videoBitrateKbps,
} from '../../src/pipeline/media/compose-graph.ts';
import { FORMATS } from '../../src/pipeline/media/formats.ts';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { benchSources } from './compose-fixtures.ts';
import { benchPlan, withFullLayer } from './compose-layer.ts';
import { median } from './compose-timing.ts';

const profileName = (process.env.COMPOSE_BENCH_PROFILE ?? 'final') as ProfileName;
if (!PROFILE_NAMES.includes(profileName))
  throw new Error(`COMPOSE_BENCH_PROFILE must be one of ${PROFILE_NAMES}`);
const profile = PROFILES[profileName];
const REPS = Math.max(1, Number.parseInt(process.env.COMPOSE_BENCH_REPS ?? '3', 10) || 3);
const PRESET = process.env.COMPOSE_BENCH_PRESET ?? (profileName === 'final' ? 'medium' : profile.preset);
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * The layer under test (compose-layer.ts): text layer, captions, voice-over, ducking, loudness
 * and the end-card logo, all in the same pass. Audio: the music is 12 s (looped with crossfades),
 * mono and quiet (~-36 LUFS), so it is gained and limited; seven voice lines are mixed over it.
 * `bare` has none of it (clips, crossfades, the music trimmed and faded, the same encode).
 * Neither `one_pass` nor `bare` measures audio inside the timed pass: render measures music and
 * voice in its audio-gains step while the clips are still being made (render-audio.ts) and hands
 * the gains to compose, so the measurement is off compose's critical path. Its own time is still
 * timed each rep and printed on its own line. (Before that change `one_pass` included it.)
 * The formats after 9:16 (4:5, 1:1, 16:9) are timed as their own compose with the full layer.
 * `bare` and the floor's input use production's clip chain (buildVideoGraph), so they follow it:
 * since 2026-12-01 19:00 the crossfades fade only the overlapping pieces in 4:4:4 (before, every
 * frame went through 4:4:4 and back), which made `bare` cheaper as well as `one_pass`; the floor
 * still encodes the same joined frames with the same rate control. `one_pass` is compose() as
 * render calls it: the pass plus its full decode check of the output (compose-check.ts), which
 * `bare` and `floor` do not run.
 */
const OTHER_FORMATS = FORMATS.filter((f) => f !== '9x16');

/** The pre-layer audio chain (trim, pad, fades, fixed -1 dB), for the `bare` variant. */
const bareAudio = (input: ComposeInput, total: number) =>
  `[${input.clips.length}:a:0]aformat=sample_rates=48000:channel_layouts=stereo,atrim=0:${total},` +
  `asetpts=PTS-STARTPTS,apad=whole_dur=${total},atrim=0:${total},afade=t=in:d=0.3,` +
  `afade=t=out:st=${total - 2}:d=2,volume=-1dB[aout]`;

const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
}

const mib = async (path: string) => `${((await stat(path)).size / 1024 / 1024).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adgen-bench-'));
  try {
    console.log(`compose benchmark in ${dir} (profile ${profile.name}, preset ${PRESET}, ${REPS} reps)`);
    const { clips, musicPath } = await benchSources(dir, profile);
    const total = totalDurationS(clips);
    const base: ComposeInput = {
      clips,
      musicPath,
      profile,
      preset: PRESET,
      maxBytes: MAX_BYTES,
      outPath: '',
    };
    const plan = await benchPlan(
      dir,
      clips.map((c) => c.slotS),
    );
    const src = { clipPaths: clips.map((c) => c.path), musicPath, dir };
    const at = { profile: profileName, preset: PRESET, maxBytes: MAX_BYTES };
    const planned = await withFullLayer(plan, src, at, '9x16');
    // As render does: music and voice are measured once, before the clips are ready (the
    // audio-gains step), and every format's compose gets the gains; the step's own time is timed
    // below, each rep, and printed on its own line.
    const gains = await measureAudio(planned);
    const layered = { ...planned, ...gains };
    const voices = layered.voices?.length ?? 0;
    console.log(
      `  full layer: text + captions + ${voices} voice lines (ducking, loudness)${layered.logo ? ' + end-card logo' : ' (NO logo)'}`,
    );
    const formatInputs = await Promise.all(
      OTHER_FORMATS.map(async (f) => [f, { ...(await withFullLayer(plan, src, at, f)), ...gains }] as const),
    );
    const kbps = videoBitrateKbps(MAX_BYTES, total, profile.audioKbps);
    const x264 = ['-c:v', 'libx264', '-preset', PRESET, '-pix_fmt', 'yuv420p'];
    const clipInputs = clips.flatMap((c) => ['-i', c.path]);
    // The floor's input: the joined frames, made once and not scored.
    const floorIn = join(dir, 'floor-in.mp4');
    await ff([
      ...clipInputs,
      '-filter_complex',
      buildVideoGraph(base),
      '-map',
      '[vout]',
      ...x264,
      '-crf',
      '18',
      floorIn,
    ]);

    const variants: Record<string, () => Promise<unknown>> = {
      // (A) one pass with the full layer, its audio gains measured ahead as render does.
      one_pass: () => compose({ ...layered, outPath: join(dir, 'one-pass.mp4') }),
      // (B) the same pass without the layer: pre-layer audio chain, no measurement.
      bare: () => {
        const args = buildComposeArgs({ ...base, outPath: join(dir, 'bare.mp4') });
        args[args.indexOf('-filter_complex') + 1] = `${buildVideoGraph(base)};${bareAudio(base, total)}`;
        return runBinary('ffmpeg', args);
      },
      // (C) naive chain: join -> add music -> two-pass to size.
      multi_pass: async () => {
        const [joined, mixed, sized, passlog] = ['joined.mp4', 'mixed.mp4', 'multi.mp4', 'x264pass'].map(
          (f) => join(dir, f),
        ) as [string, string, string, string];
        const music = [
          '-filter_complex',
          `[1:a]afade=t=out:st=${total - 2}:d=2[a]`,
          '-map',
          '0:v',
          '-map',
          '[a]',
        ];
        const aac = ['-c:a', 'aac', '-b:a', `${profile.audioKbps}k`, '-t', String(total)];
        const pass = (n: number) => ['-b:v', `${kbps}k`, '-pass', String(n), '-passlogfile', passlog];
        await ff([
          ...clipInputs,
          '-filter_complex',
          buildVideoGraph(base),
          '-map',
          '[vout]',
          ...x264,
          joined,
        ]);
        await ff(['-i', joined, '-i', musicPath, ...music, ...x264, ...aac, mixed]);
        // Pass 1 goes to `-f mp4 /dev/null`: `-f null` gave a corrupt second pass (PLATFORM-NOTES).
        await ff(['-i', mixed, ...x264, ...pass(1), '-an', '-f', 'mp4', '/dev/null']);
        await ff(['-i', mixed, ...x264, ...pass(2), '-c:a', 'copy', '-movflags', '+faststart', sized]);
      },
      // (D) floor: the same frames, decoded and encoded with the same rate control, no filters.
      floor: () => {
        const rc = ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`];
        return ff(['-i', floorIn, '-map', '0:v', ...x264, ...rc, join(dir, 'floor.mp4')]);
      },
      // (E..) each further format: its own compose of the same clips with its own full layer.
      ...Object.fromEntries(
        formatInputs.map(([f, input]) => [
          `format_${f}`,
          () => compose({ ...input, outPath: join(dir, `one-pass.${f}.mp4`) }),
        ]),
      ),
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((v) => [v, []]));
    const measureTimes: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      for (const [name, run] of Object.entries(variants)) {
        const s = await timed(run);
        times[name]!.push(s);
        console.log(`  rep ${rep + 1} ${name.padEnd(12)} ${s.toFixed(2)} s`);
      }
      measureTimes.push(await timed(() => measureAudio(planned)));
    }
    const m = Object.fromEntries(Object.entries(times).map(([k2, v]) => [k2, median(v)])) as Record<
      string,
      number
    >;
    console.log(
      `  one-pass output ${await mib(join(dir, 'one-pass.mp4'))}, multi-pass ${await mib(join(dir, 'multi.mp4'))}`,
    );
    console.log(
      `  audio-gains step (before compose, off its critical path): median ${median(measureTimes).toFixed(2)} s`,
    );
    const f = (x: number) => x.toFixed(2);
    const perFormat = [
      ['9x16', m.one_pass!] as const,
      ...OTHER_FORMATS.map((x) => [x, m[`format_${x}`]!] as const),
    ];
    console.log(
      `  per-format compose (full layer): ${perFormat.map(([x, s]) => `${x} ${f(s)} s`).join(', ')}`,
    );
    console.log(
      `compose-bench one_pass_s=${f(m.one_pass!)} multi_pass_s=${f(m.multi_pass!)} floor_s=${f(m.floor!)} ` +
        `ratio_multi=${f(m.one_pass! / m.multi_pass!)} ratio_floor=${f(m.one_pass! / m.floor!)} ` +
        `layer_overhead=${f(m.one_pass! / m.bare! - 1)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
