import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { MEDIA_FAULTS, type MediaFault } from './replicate-state.ts';

/**
 * Real media for the fake's outputs, so downloads sniff as what they claim and compose can run:
 * a 9:16 PNG, an H.264 MP4 per duration, a WAV per duration, each made once.
 */
export type FakeMediaKind = 'image' | 'video' | 'audio';

/**
 * One shared cache folder (not a temp folder per process: vitest workers are not always given an
 * exit event to clean up in). Files are written under a unique name and renamed into place, so
 * concurrent test workers never see half a file.
 */
const DIR = path.join(os.tmpdir(), 'adgen-fake-media-cache-v1');
const cache = new Map<string, Promise<string>>();

const base = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi'];

async function make(kind: FakeMediaKind, d: number, out: string, fault?: MediaFault): Promise<string> {
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(DIR, { recursive: true });
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}${path.extname(out)}`;
  const args =
    kind === 'image'
      ? [...base, '-i', 'testsrc2=s=144x256', '-frames:v', '1', tmp]
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
            ...(fault === 'truncated-faststart' ? ['-movflags', '+faststart'] : []),
            tmp,
          ]
        : [...base, '-i', `sine=frequency=220:sample_rate=16000:duration=${d}`, '-ac', '1', tmp];
  await runBinary('ffmpeg', args);
  // Cut as a dropped transfer would: without faststart the moov atom is at the end and is lost.
  const keep = { 'no-moov': 0.6, 'truncated-faststart': 0.4 }[fault as 'no-moov'];
  if (keep) fs.truncateSync(tmp, Math.floor(fs.statSync(tmp).size * keep));
  fs.renameSync(tmp, out);
  return out;
}

/** `status` is the prediction's outcome; a MediaFault there serves that bad file instead. */
export function fakeMedia(kind: FakeMediaKind, durationS = 1, status?: string): Promise<string> {
  const fault = status && MEDIA_FAULTS.has(status) ? (status as MediaFault) : undefined;
  const asked = fault === 'short' ? 1 : fault === 'music-12s' ? 12 : durationS;
  const d = Math.max(1, Math.round(asked));
  const key =
    (kind === 'image' ? 'image' : `${kind}-${d}`) +
    (fault && fault !== 'short' && fault !== 'music-12s' ? `-${fault}` : '');
  let made = cache.get(key);
  if (!made) {
    made = make(
      kind,
      d,
      path.join(DIR, `${key}.${kind === 'image' ? 'png' : kind === 'video' ? 'mp4' : 'wav'}`),
      fault,
    );
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

/**
 * Music far below any delivery level (about -35 LUFS, mono 16 kHz like the default fake): a
 * model that returns its output unnormalised. Served through `startFakeReplicate({ mediaFor })`.
 */
export function quietMusicMedia(durationS: number): Promise<string> {
  const d = Math.max(1, Math.round(durationS));
  const key = `quiet-music-${d}`;
  let made = cache.get(key);
  if (!made) {
    const out = path.join(DIR, `${key}.wav`);
    made = (async () => {
      if (fs.existsSync(out)) return out;
      fs.mkdirSync(DIR, { recursive: true });
      const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.wav`;
      const noise = `anoisesrc=d=${d}:c=pink:r=16000:a=0.5:seed=3`;
      const tone = `sine=frequency=220:sample_rate=16000:duration=${d}`;
      const mix = '[0][1]amix=inputs=2:normalize=0,volume=-17dB';
      await runBinary('ffmpeg', [
        ...base,
        '-i',
        noise,
        '-f',
        'lavfi',
        '-i',
        tone,
        '-filter_complex',
        mix,
        '-ac',
        '1',
        tmp,
      ]);
      fs.renameSync(tmp, out);
      return out;
    })();
    made.catch(() => cache.delete(key));
    cache.set(key, made);
  }
  return made;
}
