import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBinary } from '../../src/pipeline/media/run.ts';

/**
 * Stand-in speech for the TTS fakes: a real WAV whose length follows the text the way speech
 * does (about 2.5 words a second plus a breath), a voiced tone with a syllable-rate tremolo, so
 * loudness meters gate it like speech. Made once per length and cached like replicate-media.
 */
const DIR = path.join(os.tmpdir(), 'adgen-fake-speech-cache-v1');
const cache = new Map<string, Promise<string>>();

/** Seconds a fake read of `text` lasts at `wordsPerS`. */
export function speechSeconds(text: string, wordsPerS = 2.5): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length || 1;
  return Math.round((words / wordsPerS + 0.2) * 10) / 10;
}

export function fakeSpeech(seconds: number, sampleRate = 24_000): Promise<string> {
  const key = `${seconds.toFixed(1)}-${sampleRate}`;
  let made = cache.get(key);
  if (!made) {
    made = (async () => {
      const out = path.join(DIR, `speech-${key}.wav`);
      if (fs.existsSync(out)) return out;
      fs.mkdirSync(DIR, { recursive: true });
      const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.wav`;
      const voice = `0.35*sin(2*PI*190*t)*(0.55+0.45*sin(2*PI*4*t))+0.1*sin(2*PI*570*t)`;
      await runBinary('ffmpeg', [
        ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi'],
        ...['-i', `aevalsrc=${voice}:s=${sampleRate}:d=${seconds}`],
        ...['-ac', '1', '-c:a', 'pcm_s16le', tmp],
      ]);
      fs.renameSync(tmp, out);
      return out;
    })();
    cache.set(key, made);
  }
  return made;
}
