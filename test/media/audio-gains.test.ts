import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAudioGains, measureAudio } from '../../src/pipeline/media/audio-calibrate.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { LOUDNESS_TARGET } from '../../src/pipeline/media/loudness.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { fakeSpeech } from '../fakes/speech-audio.ts';

// Render measures music and voice before the clips are ready and hands compose() the gains
// (steps/render-audio.ts). Real ffmpeg behind a shim that logs every invocation, so the test
// sees whether compose ran any measurement of its own; the mix is read back with ebur128.
const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

async function measureFile(path: string): Promise<{ lufs: number; peak: number }> {
  const { stderrTail } = await runBinary('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:a:0'],
    ...['-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
  ]);
  const summary = stderrTail.slice(stderrTail.lastIndexOf('Summary:'));
  return {
    lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    peak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]),
  };
}

let dir = '';
let shim = '';
let log = '';
let base: ComposeInput;
const { integratedLufs: target, toleranceLu, truePeakDbtp } = LOUDNESS_TARGET;

/** The ffmpeg runs since the last call: measurements are the ones that meter with ebur128. */
function takeRuns(): { measurements: number; total: number } {
  const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  writeFileSync(log, '');
  return { measurements: lines.filter((l) => l.includes('ebur128')).length, total: lines.length };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-gains-'));
  log = join(dir, 'ffmpeg.log');
  shim = join(dir, 'ffmpeg');
  await writeFile(log, '');
  await writeFile(shim, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec ffmpeg "$@"\n`);
  await chmod(shim, 0o755);
  const clips = [0, 1, 2].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 10 }));
  const musicPath = join(dir, 'quiet.wav');
  await Promise.all([
    ...clips.map((c, i) =>
      ff(['-f', 'lavfi', '-i', `testsrc2=s=144x256:r=15:d=11,hue=h=${i * 90}`, '-c:v', 'libx264', c.path]),
    ),
    // Very quiet mono music (~-35 LUFS), as a model without normalisation can return it.
    ff([
      ...['-f', 'lavfi', '-i', 'anoisesrc=d=30:c=pink:r=44100:a=0.5:seed=7'],
      ...['-af', 'volume=-22dB', '-ac', '1', musicPath],
    ]),
  ]);
  base = {
    clips,
    musicPath,
    // Three lines, one per scene, the middle one sped up (as voice-mix.test.ts places them).
    voices: [
      { path: await fakeSpeech(4), startS: 0.3, tempo: 1, playS: 4 },
      { path: await fakeSpeech(9.9), startS: 10.3, tempo: 1.1, playS: 9 },
      { path: await fakeSpeech(6), startS: 20.3, tempo: 1, playS: 6 },
    ],
    profile: PROFILES.tiny,
    outPath: '',
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const bins = () => ({ ffmpeg: shim, ffprobe: 'ffprobe' });

describe('audio gains measured before compose (real ffmpeg)', () => {
  it('compose goes straight to the video pass with the gains it is given, and the mix holds the target', async () => {
    const plan = {
      clips: base.clips.map((c) => ({ slotS: c.slotS })),
      musicPath: base.musicPath,
      voices: base.voices,
    };
    const gains = await measureAudio(plan);
    expect(hasAudioGains({ ...plan, ...gains })).toBe(true);
    takeRuns();
    const out = join(dir, 'given.mp4');
    await compose({ ...base, ...gains, outPath: out }, { bins: bins() });
    // One ffmpeg run, the pass (the decode check is ffprobe's); no ebur128 run at all.
    expect(takeRuns()).toEqual({ measurements: 0, total: 1 });
    const m = await measureFile(out);
    expect(Math.abs(m.lufs - target)).toBeLessThanOrEqual(toleranceLu);
    expect(m.peak).toBeLessThanOrEqual(truePeakDbtp);
  });

  it('still measures (music, voice and the chain) when no gains are given', async () => {
    takeRuns();
    const out = join(dir, 'measured.mp4');
    await compose({ ...base, outPath: out }, { bins: bins() });
    // Music + three voice lines, then at least one calibration run of the chain.
    expect(takeRuns().measurements).toBeGreaterThanOrEqual(5);
    const m = await measureFile(out);
    expect(Math.abs(m.lufs - target)).toBeLessThanOrEqual(toleranceLu);
    expect(m.peak).toBeLessThanOrEqual(truePeakDbtp);
  });

  it('applies the supplied gains, not a measurement of its own: 6 dB less make-up is 6 LU quieter', async () => {
    const plan = { clips: base.clips, musicPath: base.musicPath, voices: base.voices };
    const gains = await measureAudio(plan);
    const out = join(dir, 'quieter.mp4');
    await compose({ ...base, ...gains, audioMakeupDb: gains.audioMakeupDb! - 6, outPath: out });
    const m = await measureFile(out);
    expect(m.lufs).toBeLessThan(target - 4.5);
    expect(m.lufs).toBeGreaterThan(target - 7.5);
  });

  it('a plan missing any measurement is not complete (compose measures it)', () => {
    const loud = { integratedLufs: -20, truePeakDbtp: -3, durationS: 6 };
    const plan = { clips: base.clips, musicPath: base.musicPath };
    expect(hasAudioGains(plan)).toBe(false);
    expect(hasAudioGains({ ...plan, audioMakeupDb: 0 })).toBe(false);
    expect(hasAudioGains({ ...plan, audioMakeupDb: 0, musicLoudness: { ...loud, durationS: 30 } })).toBe(
      true,
    );
    const voices = base.voices!;
    expect(hasAudioGains({ ...plan, voices, audioMakeupDb: 0, musicLoudness: loud })).toBe(false);
    const measured = voices.map((v) => ({ ...v, loudness: loud }));
    expect(hasAudioGains({ ...plan, voices: measured, audioMakeupDb: 0, musicLoudness: loud })).toBe(true);
  });
});
