import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureComposeAudio } from '../../src/pipeline/media/audio-calibrate.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { LOUDNESS_TARGET, measureLoudness } from '../../src/pipeline/media/loudness.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';

// Real ffmpeg, tiny profile: the final mix is measured the way a platform would (ebur128 true
// peak on the decoded AAC), for music far too quiet, far too loud, and too short.
const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

/** Pink noise plus a tone, like a dense music bed; `gainDb` sets the level, a limiter the peaks. */
const bed = (seconds: number, gainDb: number, channels: number, out: string) =>
  ff([
    ...['-f', 'lavfi', '-i', `anoisesrc=d=${seconds}:c=pink:r=44100:a=0.5:seed=7`],
    ...['-f', 'lavfi', '-i', `sine=f=220:r=44100:d=${seconds}`],
    '-filter_complex',
    `[0][1]amix=inputs=2:normalize=0,volume=${gainDb}dB,alimiter=limit=0.99:level=0:attack=1:release=20`,
    ...['-ac', String(channels), out],
  ]);

/** An independent read of ebur128's summary (not the code under test's parser). */
async function measureFile(path: string): Promise<{ lufs: number; peak: number }> {
  const args = ['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:a:0'];
  const { stderrTail } = await runBinary('ffmpeg', [
    ...args,
    ...['-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
  ]);
  const summary = stderrTail.slice(stderrTail.lastIndexOf('Summary:'));
  return {
    lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    peak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]),
  };
}

let dir = '';
let clips: ComposeInput['clips'] = [];
const music = { quiet: '', loud: '', short: '', peaky: '' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-loudness-'));
  clips = [0, 1, 2].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 10 }));
  music.quiet = join(dir, 'quiet.wav');
  music.loud = join(dir, 'loud.wav');
  music.short = join(dir, 'short.wav');
  music.peaky = join(dir, 'peaky.wav');
  await Promise.all([
    ...clips.map((c, i) =>
      ff([
        '-f',
        'lavfi',
        '-i',
        `testsrc2=s=144x256:r=15:d=11,hue=h=${i * 90}`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        c.path,
      ]),
    ),
    // Mono and quiet, as a music model without normalisation can return it.
    bed(30, -17, 1, music.quiet),
    // Stereo, squashed against full scale.
    bed(30, 32, 2, music.loud),
    bed(12, -4, 2, music.short),
    // Quiet but punchy: a kick every half second, peaks ~16 dB above the loudness, so the gain
    // that fixes the loudness pushes the peaks far over the ceiling and the limiter must hold them.
    ff([
      ...[
        '-f',
        'lavfi',
        '-i',
        'aevalsrc=0.9*sin(2*PI*60*t)*exp(-25*mod(t\\,0.5))+0.02*sin(2*PI*440*t):s=44100:d=30',
      ],
      ...['-af', 'volume=-14dB', '-ac', '2', music.peaky],
    ]),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const render = (name: string, musicPath: string) =>
  compose({ clips, musicPath, profile: PROFILES.tiny, outPath: join(dir, name) });

const { integratedLufs: target, toleranceLu, truePeakDbtp } = LOUDNESS_TARGET;

describe('loudness of the final mix (real ffmpeg)', () => {
  it('brings very quiet music (~-35 LUFS) up to -14 LUFS with true peak <= -1 dBTP', async () => {
    const before = await measureFile(music.quiet);
    expect(before.lufs).toBeGreaterThan(-37);
    expect(before.lufs).toBeLessThan(-33);
    const out = await render('quiet.mp4', music.quiet);
    const after = await measureFile(out.path);
    console.log(`quiet music: ${before.lufs} LUFS in -> ${after.lufs} LUFS, true peak ${after.peak} dBTP`);
    expect(Math.abs(after.lufs - target)).toBeLessThanOrEqual(toleranceLu);
    expect(after.peak).toBeLessThanOrEqual(truePeakDbtp);
  });

  it('brings very loud music (~-5 LUFS, near clipping) down to -14 LUFS with true peak <= -1 dBTP', async () => {
    const before = await measureFile(music.loud);
    expect(before.lufs).toBeGreaterThan(-6);
    expect(before.peak).toBeGreaterThan(-2.5);
    const out = await render('loud.mp4', music.loud);
    const after = await measureFile(out.path);
    console.log(`loud music: ${before.lufs} LUFS in -> ${after.lufs} LUFS, true peak ${after.peak} dBTP`);
    expect(Math.abs(after.lufs - target)).toBeLessThanOrEqual(toleranceLu);
    expect(after.peak).toBeLessThanOrEqual(truePeakDbtp);
  });

  it('holds the true-peak ceiling when the gain pushes punchy quiet music far over it', async () => {
    const before = await measureFile(music.peaky);
    expect(before.peak - before.lufs).toBeGreaterThan(14);
    expect(before.lufs + (target - before.lufs) + (before.peak - before.lufs)).toBeGreaterThan(0);
    const out = await render('peaky.mp4', music.peaky);
    const after = await measureFile(out.path);
    console.log(`punchy music: ${before.lufs} LUFS in -> ${after.lufs} LUFS, true peak ${after.peak} dBTP`);
    expect(Math.abs(after.lufs - target)).toBeLessThanOrEqual(toleranceLu);
    expect(after.peak).toBeLessThanOrEqual(truePeakDbtp);
  });

  it('loops 12 s of music under a 30 s ad: no silent stretch before the fade-out', async () => {
    const out = await render('short.mp4', music.short);
    const info = await probeMedia(out.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    // Even a 0.2 s gap at a loop seam would show up here; the fade-out starts at 28 s.
    const { stderrTail } = await runBinary('ffmpeg', [
      ...['-hide_banner', '-nostdin', '-nostats', '-i', out.path, '-map', '0:a:0'],
      ...['-af', 'silencedetect=n=-45dB:d=0.2', '-f', 'null', '-'],
    ]);
    const starts = [...stderrTail.matchAll(/silence_start: (-?[\d.]+)/g)].map((m) => Number(m[1]));
    expect(starts.filter((s) => s < 28)).toEqual([]);
    const after = await measureFile(out.path);
    expect(Math.abs(after.lufs - target)).toBeLessThanOrEqual(toleranceLu);
  });

  it('measures 30 s of music quickly, as the mix will hear it', async () => {
    const start = performance.now();
    const quiet = await measureLoudness(music.quiet);
    const seconds = (performance.now() - start) / 1000;
    console.log(`measurement step: ${seconds.toFixed(3)} s for 30 s of audio`);
    // Generous: the machine is shared. It measures ~0.1 s unloaded.
    expect(seconds).toBeLessThan(10);
    expect(quiet.durationS).toBeCloseTo(30, 1);
    const independent = await measureFile(music.quiet);
    expect(quiet.integratedLufs).toBeCloseTo(independent.lufs, 0);
    expect((await measureLoudness(music.short)).durationS).toBeCloseTo(12, 1);
  });

  it('costs about a second for the whole measurement step, calibration runs included', async () => {
    for (const [name, path] of [
      ['dense', music.quiet],
      ['punchy', music.peaky],
    ] as const) {
      const start = performance.now();
      const audio = await measureComposeAudio({
        clips,
        musicPath: path,
        profile: PROFILES.tiny,
        outPath: 'x',
      });
      const seconds = (performance.now() - start) / 1000;
      console.log(`measurement step (${name}): ${seconds.toFixed(3)} s, make-up ${audio.audioMakeupDb} dB`);
      expect(seconds).toBeLessThan(20);
      expect(audio.musicLoudness?.durationS).toBeCloseTo(30, 1);
      // The punchy track needs make-up: the limiter takes loudness back with its peaks.
      if (name === 'punchy') expect(audio.audioMakeupDb).toBeGreaterThan(2);
      else expect(Math.abs(audio.audioMakeupDb ?? 0)).toBeLessThan(1);
    }
  });
});
