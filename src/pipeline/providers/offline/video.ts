import { join, resolve } from 'node:path';
import { DEFAULT_BINS, runBinary } from '../../media/run.ts';
import type { VideoGen, VideoInput } from '../ports.ts';
import { createRng, mixSeed } from './common.ts';
import type { OfflineMediaOptions } from './image.ts';
import { offlineGen } from './offline-gen.ts';

/**
 * A Ken Burns move as the visible window at the start and at the end, in fractions of the
 * image: left/top edge and size (1 = the whole frame). Every edge moves linearly in time, so a
 * window that is inside the image at both ends is inside it all the way.
 */
export interface Move {
  kind: 'in' | 'out' | 'pan-x' | 'pan-y' | 'drift';
  from: { left: number; top: number; size: number };
  to: { left: number; top: number; size: number };
}

export function pickMove(seed: number): Move {
  const rng = createRng(mixSeed(seed, 'move'));
  const tight = 1 / rng.range(1.12, 1.16);
  const kind = rng.pick(['in', 'in', 'out', 'pan-x', 'pan-y', 'drift'] as const);
  const [ax, ay] = [rng.range(0.25, 0.75), rng.range(0.25, 0.6)];
  const flip = rng.next() < 0.5;
  const at = (size: number, fx: number, fy: number) => ({
    left: fx * (1 - size),
    top: fy * (1 - size),
    size,
  });
  const pair = (a: Move['from'], b: Move['from']) => (flip ? { from: b, to: a } : { from: a, to: b });
  switch (kind) {
    case 'in':
      return { kind, from: at(1, ax, ay), to: at(tight, ax, ay) };
    case 'out':
      return { kind, from: at(tight, ax, ay), to: at(1, ax, ay) };
    case 'pan-x':
      return { kind, ...pair(at(tight, 0.2, 0.5), at(tight, 0.8, 0.5)) };
    case 'pan-y':
      return { kind, ...pair(at(tight, 0.5, 0.25), at(tight, 0.5, 0.75)) };
    default:
      return { kind, from: at(1 / 1.04, ax, 1 - ay), to: at(tight, 1 - ax, ay) };
  }
}

const f = (v: number) => v.toFixed(6);

/** `a + (b - a) * p` as an ffmpeg expression, p running 0..1 over the clip. */
function lerp(a: number, b: number, p: string): string {
  const d = b - a;
  return `${f(a)}${d < 0 ? '-' : '+'}${f(Math.abs(d))}*${p}`;
}

/**
 * perspective samples the source with bilinear interpolation at sub-pixel positions, so slow
 * moves glide instead of stepping by whole pixels as zoompan does (that judder is what
 * gives cheap Ken Burns away). The still is scaled once and repeated by `loop`, not decoded
 * per frame.
 */
export function kenBurnsFilter(move: Move, W: number, H: number, frames: number, fps: number): string {
  // perspective counts input frames from 1.
  const p = `clip((in-1)/${Math.max(1, frames - 1)},0,1)`;
  const x0 = lerp(move.from.left * W, move.to.left * W, p);
  const y0 = lerp(move.from.top * H, move.to.top * H, p);
  const x1 = lerp((move.from.left + move.from.size) * W, (move.to.left + move.to.size) * W, p);
  const y1 = lerp((move.from.top + move.from.size) * H, (move.to.top + move.to.size) * H, p);
  return (
    `scale=${W}:${H}:force_original_aspect_ratio=increase:flags=bicubic,crop=${W}:${H},setsar=1,format=yuv420p,` +
    `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${fps}*TB),` +
    `perspective=x0='${x0}':y0='${y0}':x1='${x1}':y1='${y0}':x2='${x0}':y2='${y1}':x3='${x1}':y3='${y1}':eval=frame`
  );
}

export function videoArgs(input: VideoInput, imagePath: string, outPath: string): string[] {
  const { width: W, height: H } = input;
  const fps = Math.max(1, Math.round(input.fps));
  const frames = Math.max(1, Math.round(input.durationS * fps));
  const graph = `[0:v]${kenBurnsFilter(pickMove(input.seed), W, H, frames, fps)}[v]`;
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    // Only the local image may be read; the pattern off so a `%` in a path is just a character.
    '-protocol_whitelist',
    'file',
    '-f',
    'image2',
    '-pattern_type',
    'none',
    '-framerate',
    String(fps),
    '-i',
    `file:${resolve(imagePath)}`,
    '-filter_complex',
    graph,
    '-map',
    '[v]',
    '-frames:v',
    String(frames),
    '-r',
    String(fps),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-crf',
    '18',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-an',
    `file:${resolve(outPath)}`,
  ];
}

export function createOfflineVideoGen(opts: OfflineMediaOptions = {}): VideoGen {
  const bins = opts.bins ?? DEFAULT_BINS;
  return offlineGen<VideoInput>('video', opts.delayMs, async (input, ctx) => {
    const out = join(ctx.outDir, `${ctx.fileStem}.mp4`);
    await runBinary(bins.ffmpeg, videoArgs(input, input.imagePath, out), {
      signal: ctx.signal,
      limit: bins.limit,
    });
    return [out];
  });
}
