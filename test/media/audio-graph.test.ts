import { describe, expect, it } from 'vitest';
import {
  type AudioTrack,
  buildAudioChain,
  LOOP_CROSSFADE_S,
  loopStarts,
  trackLevelsLu,
} from '../../src/pipeline/media/audio-graph.ts';
import type { Loudness } from '../../src/pipeline/media/loudness.ts';

const measured = (integratedLufs: number, durationS = 30): Loudness => ({
  integratedLufs,
  truePeakDbtp: integratedLufs + 8,
  durationS,
});
const music = (loudness?: Loudness, input = 6): AudioTrack => ({ input, role: 'music', loudness });
const volumes = (graph: string) => [...graph.matchAll(/volume=(-?[\d.]+)dB/g)].map((m) => Number(m[1]));

describe('loop plan', () => {
  it('covers the ad with copies that overlap by the crossfade', () => {
    const starts = loopStarts(12, 30);
    expect(starts).toEqual([0, 11.5, 23]);
    // The last copy must reach the end of the ad.
    expect(starts.at(-1)! + 12).toBeGreaterThanOrEqual(30);
    expect(loopStarts(15, 30)).toEqual([0, 14.5, 29]);
    expect(loopStarts(29, 30)).toEqual([0, 28.5]);
  });

  it('does not loop a track as long as the ad, nor one too short to be music', () => {
    expect(loopStarts(30, 30)).toEqual([0]);
    expect(loopStarts(29.98, 30)).toEqual([0]);
    expect(loopStarts(45, 30)).toEqual([0]);
    expect(loopStarts(0.4, 30)).toEqual([0]);
    expect(loopStarts(Number.NaN, 30)).toEqual([0]);
  });
});

describe('audio chain', () => {
  it('brings measured music to the target with one gain, then limits true peaks', () => {
    const quiet = buildAudioChain({ tracks: [music(measured(-35))], totalS: 30, fadeOutS: 2 });
    expect(volumes(quiet)).toEqual([21]);
    const loud = buildAudioChain({ tracks: [music(measured(-5))], totalS: 30, fadeOutS: 2 });
    expect(volumes(loud)).toEqual([-9]);
    // Oversampled so the sample-peak limiter holds true peaks; auto-level off, delay compensated.
    expect(loud).toMatch(
      /aresample=192000,alimiter=limit=0\.794:attack=5:release=50:level=0:latency=1,aresample=48000\[aout\]$/,
    );
  });

  it('trims a long track, fades it in and out at the end, and keeps the chain exactly the ad long', () => {
    const graph = buildAudioChain({ tracks: [music(measured(-14, 45))], totalS: 30, fadeOutS: 2 });
    expect(graph).not.toContain('asplit');
    expect(graph).toMatch(
      /^\[6:a:0\]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,asetpts=N\/SR\/TB,atrim=0:30,/,
    );
    expect(graph).toContain(
      'apad=whole_dur=30,atrim=0:30,afade=t=in:d=0.3,afade=t=out:st=28:d=2,volume=0dB[au0]',
    );
  });

  it('loops a 12 s track with equal-power crossfades at each seam instead of padding silence', () => {
    const graph = buildAudioChain({ tracks: [music(measured(-20, 12))], totalS: 30, fadeOutS: 2 });
    expect(graph).toContain('asplit=3[au0c0][au0c1][au0c2]');
    expect(graph).toContain('[au0c0]afade=t=out:st=11.5:d=0.5:curve=qsin[au0l0]');
    expect(graph).toContain(
      '[au0c1]afade=t=in:d=0.5:curve=qsin,afade=t=out:st=11.5:d=0.5:curve=qsin,adelay=delays=11500:all=1[au0l1]',
    );
    expect(graph).toContain('[au0c2]afade=t=in:d=0.5:curve=qsin,adelay=delays=23000:all=1[au0l2]');
    expect(graph).toContain('[au0l0][au0l1][au0l2]amix=inputs=3:normalize=0:duration=longest[au0loop]');
    // Retimed: amix hands on frames without timestamps after its first input ends.
    expect(graph).toContain('[au0loop]asetpts=N/SR/TB,atrim=0:30,');
    expect(graph).toContain('afade=t=out:st=28:d=2,volume=6dB[au0]');
    expect(LOOP_CROSSFADE_S).toBe(0.5);
  });

  it('pads (no loop, no gain) when the music was never measured', () => {
    const graph = buildAudioChain({ tracks: [music(undefined)], totalS: 20, fadeOutS: 0 });
    expect(graph).not.toContain('asplit');
    expect(graph).not.toContain('afade=t=out');
    expect(volumes(graph)).toEqual([0]);
    expect(graph).toContain('apad=whole_dur=20,atrim=0:20');
  });

  it('mixes N tracks: a voice line at its start, the music as a bed under it, one limiter after the sum', () => {
    const voice: AudioTrack = { input: 7, role: 'voice', loudness: measured(-28, 4), startS: 3.5 };
    const tracks = [music(measured(-20)), voice];
    expect(trackLevelsLu(tracks)).toEqual([-10, 0]);
    const graph = buildAudioChain({ tracks, totalS: 30, fadeOutS: 2 });
    const [musicGain, voiceGain] = volumes(graph);
    // The voice ends 10 LU above the music and the pair sums to -14 LUFS.
    expect(-28 + voiceGain! - (-20 + musicGain!)).toBeCloseTo(10, 1);
    const sum = 10 * Math.log10(10 ** ((-20 + musicGain!) / 10) + 10 ** ((-28 + voiceGain!) / 10));
    expect(sum).toBeCloseTo(-14, 1);
    expect(graph).toContain(
      '[7:a:0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,adelay=delays=3500:all=1,',
    );
    expect(graph).toContain(
      '[au0][au1]amix=inputs=2:normalize=0:duration=longest,asetpts=N/SR/TB,aresample=192000,alimiter=',
    );
    expect(graph.match(/alimiter/g)).toHaveLength(1);
    // A voice is not faded like music.
    expect(graph.split(';').find((p) => p.startsWith('[7:a:0]'))).not.toContain('afade');
  });

  it('uses the silence input when there is no track, and refuses to build nothing', () => {
    expect(buildAudioChain({ tracks: [], totalS: 30, fadeOutS: 2, silenceInput: 5 })).toBe(
      '[5:a:0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,atrim=0:30[aout]',
    );
    expect(() => buildAudioChain({ tracks: [], totalS: 30, fadeOutS: 2 })).toThrow(/silence input/);
  });
});
