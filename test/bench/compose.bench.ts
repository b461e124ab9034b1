/**
 * One-pass compose vs the naive multi-pass chain vs a plain-encode floor, at the `final` profile
 * with x264 `medium`. Run with `npm run bench:compose`; the last line is machine-readable.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose } from '../../src/pipeline/media/compose.ts';
import {
  buildVideoGraph,
  type ComposeInput,
  totalDurationS,
  videoBitrateKbps,
} from '../../src/pipeline/media/compose-graph.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';

const PRESET = 'medium';
const MAX_BYTES = 10 * 1024 * 1024;
const profile = PROFILES.final;

// Provider-like clips: 9:16 at 1080p and 720p, one landscape, 24 and 30 fps, with motion and
// grain; each is slot + 0.5 s long. Sources are kept near real provider bitrates (~10 Mbps)
// so decoding costs what it would in production.
const SOURCES = [
  { slotS: 4, lavfi: 'testsrc2=s=1080x1920:r=24' },
  { slotS: 4, lavfi: 'gradients=s=720x1280:r=24:speed=0.02,noise=alls=6:allf=t' },
  { slotS: 4, lavfi: 'mandelbrot=s=540x960:r=30,scale=1080:1920' },
  { slotS: 4.5, lavfi: 'testsrc2=s=1920x1080:r=30' },
  {
    slotS: 4.5,
    lavfi: 'life=s=360x640:mold=10:r=24:ratio=0.5:life_color=#f0c040,scale=1080:1920:flags=neighbor',
  },
  { slotS: 4.5, lavfi: 'gradients=s=1080x1920:r=30:speed=0.03,hue=H=t,noise=alls=6:allf=t' },
  { slotS: 4.5, lavfi: 'testsrc2=s=720x1280:r=24,hue=s=0.5' },
];

const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

async function timed<T>(label: string, fn: () => Promise<T>): Promise<number> {
  const start = performance.now();
  await fn();
  const s = (performance.now() - start) / 1000;
  console.log(`  ${label.padEnd(44)} ${s.toFixed(2)} s`);
  return s;
}

const mib = async (path: string) => `${((await stat(path)).size / 1024 / 1024).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'adgen-bench-'));
  try {
    console.log(`compose benchmark in ${dir} (profile final, preset ${PRESET})`);
    const clips = SOURCES.map((s, i) => ({ path: join(dir, `clip${i}.mp4`), slotS: s.slotS }));
    const musicPath = join(dir, 'music.wav');
    await timed('generate 7 clips + 30 s music (not scored)', async () => {
      for (const [i, s] of SOURCES.entries()) {
        const src = `${s.lavfi},trim=duration=${s.slotS + 0.5}`;
        const enc = ['-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '10M', '-maxrate', '12M'];
        await ff(['-f', 'lavfi', '-i', src, ...enc, '-bufsize', '20M', clips[i]!.path]);
      }
      const tone = 'aevalsrc=0.2*sin(2*PI*220*t)+0.1*sin(2*PI*331*t)|0.2*sin(2*PI*277*t):s=44100:d=30';
      await ff(['-f', 'lavfi', '-i', tone, musicPath]);
    });
    const input: ComposeInput = {
      clips,
      musicPath,
      profile,
      preset: PRESET,
      maxBytes: MAX_BYTES,
      outPath: join(dir, 'one-pass.mp4'),
    };
    const total = totalDurationS(clips);
    const kbps = videoBitrateKbps(MAX_BYTES, total, profile.audioKbps);
    const x264 = ['-c:v', 'libx264', '-preset', PRESET, '-pix_fmt', 'yuv420p'];

    console.log('(a) one pass: normalise + xfade + music + size-targeted encode');
    const onePass = await timed('compose()', () => compose(input));
    console.log(`      -> ${await mib(input.outPath)}`);

    console.log('(b) naive chain: join -> add music -> two-pass to size');
    const joined = join(dir, 'joined.mp4');
    const mixed = join(dir, 'mixed.mp4');
    const sized = join(dir, 'multi-pass.mp4');
    const passlog = join(dir, 'x264pass');
    const clipInputs = clips.flatMap((c) => ['-i', c.path]);
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
    const steps = [
      await timed('join with crossfades (encode 1)', () =>
        ff([...clipInputs, '-filter_complex', buildVideoGraph(input), '-map', '[vout]', ...x264, joined]),
      ),
      await timed('add music (encode 2)', () =>
        ff(['-i', joined, '-i', musicPath, ...music, ...x264, ...aac, mixed]),
      ),
      // Pass 1 goes to `-f mp4 /dev/null`: `-f null` gave a corrupt second pass (PLATFORM-NOTES).
      await timed('two-pass to size: pass 1 (encode 3)', () =>
        ff(['-i', mixed, ...x264, ...pass(1), '-an', '-f', 'mp4', '/dev/null']),
      ),
      await timed('two-pass to size: pass 2 (encode 4)', () =>
        ff(['-i', mixed, ...x264, ...pass(2), '-c:a', 'copy', '-movflags', '+faststart', sized]),
      ),
    ];
    const multiPass = steps.reduce((a, b) => a + b, 0);
    console.log(`      -> ${await mib(sized)} (total ${multiPass.toFixed(2)} s)`);

    // The floor: the same 30 s of 1080x1920 frames, decoded and encoded with the same rate
    // control and no filters at all. No pipeline that encodes once can beat it.
    console.log('(c) floor: plain x264 encode of the joined frames, no filtergraph');
    const floorOut = join(dir, 'floor.mp4');
    const rc = ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`];
    const floor = await timed('libx264 only', () =>
      ff(['-i', joined, '-map', '0:v', ...x264, ...rc, floorOut]),
    );
    const info = await probeMedia(input.outPath);
    console.log(`      one-pass output: ${info.video?.width}x${info.video?.height} ${info.durationS}s`);

    const f = (x: number) => x.toFixed(2);
    console.log(
      `compose-bench one_pass_s=${f(onePass)} multi_pass_s=${f(multiPass)} floor_s=${f(floor)} ` +
        `ratio_multi=${f(onePass / multiPass)} ratio_floor=${f(onePass / floor)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
