import { describe, expect, it } from 'vitest';
import {
  dbToLinear,
  isMeasurable,
  LOUDNESS_TARGET,
  type Loudness,
  mixGainsDb,
  parseDecodedSeconds,
  parseEbur128Summary,
} from '../../src/pipeline/media/loudness.ts';

const at = (integratedLufs: number, truePeakDbtp = integratedLufs + 10): Loudness => ({
  integratedLufs,
  truePeakDbtp,
  durationS: 30,
});

/** Loudness of uncorrelated tracks adds in power. */
const powerSum = (levels: number[]) => 10 * Math.log10(levels.reduce((s, l) => s + 10 ** (l / 10), 0));

describe('gain maths', () => {
  it('brings one track to the target from anywhere between -35 and -5 LUFS', () => {
    expect(mixGainsDb([{ loudness: at(-35) }])).toEqual([21]);
    expect(mixGainsDb([{ loudness: at(-5) }])).toEqual([-9]);
    expect(mixGainsDb([{ loudness: at(-14) }])).toEqual([0]);
    expect(mixGainsDb([{ loudness: at(-20.37) }], -16)).toEqual([4.37]);
  });

  it('shares the target between N tracks so their sum lands on it, keeping their offsets', () => {
    const tracks = [
      { loudness: at(-30), levelLu: 0 },
      { loudness: at(-8), levelLu: -10 },
      { loudness: at(-22), levelLu: -4 },
    ];
    const gains = mixGainsDb(tracks);
    const after = tracks.map((t, i) => t.loudness.integratedLufs + gains[i]!);
    expect(powerSum(after)).toBeCloseTo(LOUDNESS_TARGET.integratedLufs, 1);
    expect(after[0]! - after[1]!).toBeCloseTo(10, 1);
    expect(after[0]! - after[2]!).toBeCloseTo(4, 1);
  });

  it('leaves silence alone and keeps it out of the sum', () => {
    const silent = { integratedLufs: -70, truePeakDbtp: -Infinity, durationS: 30 };
    expect(isMeasurable(silent)).toBe(false);
    expect(isMeasurable(undefined)).toBe(false);
    expect(mixGainsDb([{ loudness: silent }, { loudness: at(-20) }])).toEqual([0, 6]);
    expect(mixGainsDb([{}])).toEqual([0]);
    expect(mixGainsDb([{ loudness: { ...silent, integratedLufs: Number.NaN } }])).toEqual([0]);
  });

  it('caps the gain so a near-silent track is not blown up into hiss', () => {
    expect(mixGainsDb([{ loudness: at(-69) }])).toEqual([LOUDNESS_TARGET.maxGainDb]);
    expect(mixGainsDb([{ loudness: at(40) }])).toEqual([-LOUDNESS_TARGET.maxGainDb]);
  });

  it('limits below the true-peak target and converts dB to a linear limit', () => {
    expect(LOUDNESS_TARGET.limiterCeilingDbtp).toBeLessThan(LOUDNESS_TARGET.truePeakDbtp);
    expect(dbToLinear(-2)).toBeCloseTo(0.794, 3);
    expect(dbToLinear(0)).toBe(1);
  });
});

describe('parsing ffmpeg output', () => {
  const summary = (i: string, peak: string) =>
    [
      '[Parsed_ebur128_1 @ 0x55d] t: 29.9  TARGET:-23 LUFS  M: -9.1 S: -9.1  I: -9.9 LUFS  LRA: 0.2 LU',
      '[Parsed_ebur128_1 @ 0x55d] Summary:',
      '',
      '  Integrated loudness:',
      `    I:         ${i} LUFS`,
      '    Threshold: -45.5 LUFS',
      '',
      '  Loudness range:',
      '    LRA:         1.0 LU',
      '',
      '  True peak:',
      `    Peak:       ${peak} dBFS`,
    ].join('\n');

  it('reads integrated loudness and true peak from the summary, not from a frame line', () => {
    expect(parseEbur128Summary(summary('-35.3', '-25.1'))).toEqual({
      integratedLufs: -35.3,
      truePeakDbtp: -25.1,
    });
    expect(parseEbur128Summary(summary('-7', '0.4'))).toEqual({ integratedLufs: -7, truePeakDbtp: 0.4 });
  });

  it('reads silence as -70 LUFS and a -inf peak', () => {
    expect(parseEbur128Summary(summary('-70.0', '-inf'))).toEqual({
      integratedLufs: -70,
      truePeakDbtp: -Infinity,
    });
  });

  it('refuses output without a summary', () => {
    expect(() => parseEbur128Summary('Stream map matches no streams')).toThrow(/no loudness summary/);
    expect(() => parseEbur128Summary('Summary:\n  nothing')).toThrow(/no loudness summary/);
  });

  it('takes the last progress time as the decoded length', () => {
    const progress =
      'out_time_us=0\nprogress=continue\nout_time_us=11980000\nout_time_us=12000000\nprogress=end\n';
    expect(parseDecodedSeconds(progress)).toBe(12);
    expect(parseDecodedSeconds('')).toBe(0);
  });
});
