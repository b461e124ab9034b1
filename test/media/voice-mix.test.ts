import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAudioChain } from '../../src/pipeline/media/audio-graph.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput, ComposeVoice } from '../../src/pipeline/media/compose-graph.ts';
import { LOUDNESS_TARGET, measureLoudness } from '../../src/pipeline/media/loudness.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { duckFilter, voiceWindows } from '../../src/pipeline/media/voice-mix.ts';
import { fakeSpeech } from '../fakes/speech-audio.ts';

// Real ffmpeg: the voice-over in the one compose pass, measured like a platform would (ebur128
// on the decoded AAC), and the ducking measured on the music alone.
const ff = (args: string[]) =>
  runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);

const bed = (seconds: number, gainDb: number, out: string) =>
  ff([
    ...['-f', 'lavfi', '-i', `anoisesrc=d=${seconds}:c=pink:r=44100:a=0.5:seed=7`],
    ...['-f', 'lavfi', '-i', `sine=f=220:r=44100:d=${seconds}`],
    '-filter_complex',
    `[0][1]amix=inputs=2:normalize=0,volume=${gainDb}dB,alimiter=limit=0.99:level=0:attack=1:release=20`,
    ...['-ac', '2', out],
  ]);

/** Independent ebur128 read of a file, or of `[from, from+dur]` of it. */
async function measure(path: string, from?: number, dur?: number): Promise<{ lufs: number; peak: number }> {
  const cut = from === undefined ? [] : ['-ss', String(from), '-t', String(dur)];
  const { stderrTail } = await runBinary('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-nostats', ...cut, '-i', path, '-map', '0:a:0'],
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
const music = { quiet: '', loud: '' };
let voices: ComposeVoice[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-voice-mix-'));
  clips = [0, 1, 2].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 10 }));
  music.quiet = join(dir, 'quiet.wav');
  music.loud = join(dir, 'loud.wav');
  await Promise.all([
    ...clips.map((c, i) =>
      ff([
        ...['-f', 'lavfi', '-i', `testsrc2=s=144x256:r=15:d=11,hue=h=${i * 90}`],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', c.path],
      ]),
    ),
    bed(30, -17, music.quiet),
    bed(30, 32, music.loud),
  ]);
  // Three lines, one per 10 s scene; the middle one read too slowly, so it is sped up.
  const [a, b, c] = await Promise.all([fakeSpeech(4), fakeSpeech(9.9), fakeSpeech(6)]);
  voices = [
    { path: a, startS: 0.3, tempo: 1, playS: 4 },
    { path: b, startS: 10.3, tempo: 1.1, playS: 9 },
    { path: c, startS: 20.3, tempo: 1, playS: 6 },
  ];
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { integratedLufs: target, toleranceLu, truePeakDbtp } = LOUDNESS_TARGET;

describe('ducking keyed to the voice timings', () => {
  it('builds one volume automation over every window, ramped and clipped to the duck depth', () => {
    const f = duckFilter([
      { startS: 1, endS: 3 },
      { startS: 5, endS: 6 },
    ])!;
    expect(f).toContain(':eval=frame');
    expect(f.match(/clip\(/g)).toHaveLength(2);
    expect(f).toContain('(t-0.8)/0.2');
    expect(f).toContain('(3.2-t)/0.2');
    expect(duckFilter([])).toBeUndefined();
    const w = voiceWindows([
      {
        input: 1,
        role: 'voice',
        startS: 2,
        tempo: 1.25,
        loudness: { integratedLufs: -20, truePeakDbtp: -3, durationS: 5 },
      },
      {
        input: 2,
        role: 'voice',
        startS: 9,
        playS: 1,
        loudness: { integratedLufs: -20, truePeakDbtp: -3, durationS: 3 },
      },
    ]);
    expect(w).toEqual([
      { startS: 2, endS: 6 },
      { startS: 9, endS: 10 },
    ]);
  });

  it('lowers the music by the duck depth while a line plays (music measured alone)', async () => {
    // A silent "voice" leaves only the music in the mix, so its level is what the meter reads.
    const silent = join(dir, 'silent.wav');
    await ff(['-f', 'lavfi', '-i', 'anullsrc=r=24000:cl=mono', '-t', '6', silent]);
    const mix = {
      tracks: [
        { input: 0, role: 'music' as const, loudness: await measureLoudness(music.quiet) },
        { input: 1, role: 'voice' as const, startS: 10, loudness: await measureLoudness(silent) },
      ],
      totalS: 30,
      fadeOutS: 2,
    };
    const out = join(dir, 'ducked.wav');
    await ff([
      ...['-i', music.quiet, '-i', silent, '-filter_complex', buildAudioChain(mix)],
      ...['-map', '[aout]', out],
    ]);
    const open = await measure(out, 3, 5);
    const ducked = await measure(out, 11, 4);
    console.log(`ducking: music ${open.lufs} LUFS between lines, ${ducked.lufs} LUFS under a line`);
    expect(open.lufs - ducked.lufs).toBeGreaterThanOrEqual(LOUDNESS_TARGET.duckUnderVoiceDb - 1);
    expect(open.lufs - ducked.lufs).toBeLessThanOrEqual(LOUDNESS_TARGET.duckUnderVoiceDb + 1);
  });
});

describe('loudness with a voice-over (real ffmpeg, one pass)', () => {
  for (const which of ['quiet', 'loud'] as const) {
    it(`holds -14 LUFS and true peak <= -1 dBTP with ${which} music and the voice on top`, async () => {
      const start = performance.now();
      const out = await compose({
        clips,
        musicPath: music[which],
        voices,
        profile: PROFILES.tiny,
        outPath: join(dir, `${which}-voice.mp4`),
      });
      const withVoiceS = (performance.now() - start) / 1000;
      const t0 = performance.now();
      await compose({
        clips,
        musicPath: music[which],
        profile: PROFILES.tiny,
        outPath: join(dir, `${which}.mp4`),
      });
      const withoutS = (performance.now() - t0) / 1000;
      const after = await measure(out.path);
      // The voice is on top: louder under a line than the music alone is between lines.
      const line = await measure(out.path, 11, 4);
      const gap = await measure(out.path, 5, 4.5);
      console.log(
        `${which} music + voice: ${after.lufs} LUFS, true peak ${after.peak} dBTP; ` +
          `compose ${withVoiceS.toFixed(2)} s with voice vs ${withoutS.toFixed(2)} s without (tiny); ` +
          `under a line ${line.lufs} LUFS, music between lines ${gap.lufs} LUFS`,
      );
      expect(Math.abs(after.lufs - target)).toBeLessThanOrEqual(toleranceLu);
      expect(after.peak).toBeLessThanOrEqual(truePeakDbtp);
      expect(out.durationS).toBeCloseTo(30, 0);
      expect(line.lufs - gap.lufs).toBeGreaterThan(6);
    });
  }
});
