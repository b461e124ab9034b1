import { execFile } from 'node:child_process';
import type { Rect } from '../../src/pipeline/media/safe-zones.ts';

/** Runs ffmpeg (argument array, no shell) and splits its raw 8-bit grey output into frames. */
export function greyFrames(args: string[], width: number, height: number): Promise<Buffer[]> {
  const full = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    ...args,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    execFile('ffmpeg', full, { encoding: 'buffer', maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`ffmpeg failed: ${stderr.toString().slice(-500)}`));
      const size = width * height;
      const frames: Buffer[] = [];
      for (let o = 0; o + size <= stdout.length; o += size) frames.push(stdout.subarray(o, o + size));
      resolve(frames);
    });
  });
}

/** One decoded frame of a video at `t` seconds, as grey pixels. */
export async function frameAt(path: string, t: number, width: number, height: number): Promise<Buffer> {
  const [frame] = await greyFrames(['-ss', String(t), '-i', path, '-frames:v', '1'], width, height);
  if (!frame) throw new Error(`no frame at ${t}s in ${path}`);
  return frame;
}

const inBox = (x: number, y: number, b: Rect, pad: number) =>
  x >= b.x - pad && x < b.x + b.w + pad && y >= b.y - pad && y < b.y + b.h + pad;

/** Largest pixel difference outside the (padded) boxes, and pixels changed by > 24 inside. */
export function compareFrames(a: Buffer, b: Buffer, width: number, boxes: Rect[], pad = 0) {
  let maxOutside = 0;
  let changedInside = 0;
  let worst = { x: -1, y: -1 };
  for (let i = 0; i < a.length; i++) {
    const x = i % width;
    const y = Math.floor(i / width);
    const d = Math.abs(a[i]! - b[i]!);
    if (boxes.some((box) => inBox(x, y, box, pad))) {
      if (d > 24) changedInside++;
    } else if (d > maxOutside) {
      maxOutside = d;
      worst = { x, y };
    }
  }
  return { maxOutside, changedInside, worst };
}

/** Bounding box of pixels brighter than `threshold` (text drawn light on black). */
export function inkBounds(frame: Buffer, width: number, threshold = 60): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < frame.length; i++) {
    if (frame[i]! <= threshold) continue;
    const x = i % width;
    const y = Math.floor(i / width);
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

export function differingPixels(a: Buffer, b: Buffer, threshold = 40): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > threshold) n++;
  return n;
}
