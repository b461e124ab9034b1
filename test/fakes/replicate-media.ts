import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBinary } from '../../src/pipeline/media/run.ts';

/**
 * Real media for the fake's outputs, so downloads sniff as what they claim and compose can run:
 * a 9:16 PNG, an H.264 MP4 per duration, a WAV per duration. Each is made once per process.
 */
export type FakeMediaKind = 'image' | 'video' | 'audio';

let dir: string | undefined;
const cache = new Map<string, Promise<string>>();

function mediaDir(): string {
  if (!dir) {
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-fake-media-'));
    dir = made;
    process.once('exit', () => fs.rmSync(made, { recursive: true, force: true }));
  }
  return dir;
}

const base = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi'];

export function fakeMedia(kind: FakeMediaKind, durationS = 1): Promise<string> {
  const d = Math.max(1, Math.round(durationS));
  const key = kind === 'image' ? 'image' : `${kind}-${d}`;
  let made = cache.get(key);
  if (!made) {
    const out = path.join(
      mediaDir(),
      `${key}.${kind === 'image' ? 'png' : kind === 'video' ? 'mp4' : 'wav'}`,
    );
    const args =
      kind === 'image'
        ? [...base, '-i', 'testsrc2=s=144x256', '-frames:v', '1', out]
        : kind === 'video'
          ? [
              ...base,
              '-i',
              `testsrc2=s=144x256:r=24:d=${d}`,
              '-c:v',
              'libx264',
              '-preset',
              'ultrafast',
              '-pix_fmt',
              'yuv420p',
              out,
            ]
          : [...base, '-i', `sine=frequency=220:sample_rate=16000:duration=${d}`, '-ac', '1', out];
    made = runBinary('ffmpeg', args).then(() => out);
    made.catch(() => cache.delete(key));
    cache.set(key, made);
  }
  return made;
}

export const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
};
