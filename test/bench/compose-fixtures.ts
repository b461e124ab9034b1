import { join } from 'node:path';
import type { ComposeClip } from '../../src/pipeline/media/compose-graph.ts';
import type { Profile } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';

const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

/**
 * The clips and music of bench:compose (and compose-profile.ts), made in `dir` for `profile`.
 */
export async function benchSources(
  dir: string,
  profile: Profile,
): Promise<{ clips: ComposeClip[]; musicPath: string }> {
  const k = profile.width / 1080;
  // Provider-like clips: 9:16 at 1080p and 720p, one landscape, 24 and 30 fps, with motion and
  // grain; each is slot + 0.5 s long. Sizes and bitrates (~10 Mbps at 1080x1920) follow the profile
  // so decoding costs what it would in production.
  const px = (n: number) => Math.max(2, Math.round((n * k) / 2) * 2);
  const size = (w: number, h: number) => `${px(w)}x${px(h)}`;
  const SOURCES = [
    { slotS: 4, lavfi: `testsrc2=s=${size(1080, 1920)}:r=24` },
    { slotS: 4, lavfi: `gradients=s=${size(720, 1280)}:r=24:speed=0.02,noise=alls=6:allf=t` },
    { slotS: 4, lavfi: `mandelbrot=s=${size(540, 960)}:r=30,scale=${size(1080, 1920).replace('x', ':')}` },
    { slotS: 4.5, lavfi: `testsrc2=s=${size(1920, 1080)}:r=30` },
    {
      slotS: 4.5,
      lavfi: `life=s=${size(360, 640)}:mold=10:r=24:ratio=0.5:life_color=#f0c040,scale=${size(1080, 1920).replace('x', ':')}:flags=neighbor`,
    },
    { slotS: 4.5, lavfi: `gradients=s=${size(1080, 1920)}:r=30:speed=0.03,hue=H=t,noise=alls=6:allf=t` },
    { slotS: 4.5, lavfi: `testsrc2=s=${size(720, 1280)}:r=24,hue=s=0.5` },
  ];
  const clips = SOURCES.map((s, i) => ({ path: join(dir, `clip${i}.mp4`), slotS: s.slotS }));
  const musicPath = join(dir, 'music.wav');
  const kbpsSrc = Math.max(200, Math.round(10_000 * k * k));
  for (const [i, s] of SOURCES.entries()) {
    const src = `${s.lavfi},trim=duration=${s.slotS + 0.5}`;
    const enc = [
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-b:v',
      `${kbpsSrc}k`,
      '-maxrate',
      `${kbpsSrc * 1.2}k`,
    ];
    await ff(['-f', 'lavfi', '-i', src, ...enc, '-bufsize', `${kbpsSrc * 2}k`, clips[i]!.path]);
  }
  const tone = 'aevalsrc=0.02*sin(2*PI*220*t)+0.01*sin(2*PI*331*t):s=44100:d=12';
  await ff(['-f', 'lavfi', '-i', tone, musicPath]);
  return { clips, musicPath };
}
