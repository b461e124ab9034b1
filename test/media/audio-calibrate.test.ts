import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrateMakeupDb } from '../../src/pipeline/media/audio-calibrate.ts';
import type { AudioMix } from '../../src/pipeline/media/audio-graph.ts';

// A stand-in ffmpeg that behaves like a limiter on punchy music: the mix's loudness grows by only
// `slope` LU per dB of gain above what the input measurement asked for. It prints ebur128's
// summary, as the real one does, and logs every gain it was asked to apply.
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-calibrate-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function limiterLike(name: string, startLufs: number, slope: number) {
  const log = join(dir, `${name}.log`);
  const bin = join(dir, `${name}.sh`);
  const script = [
    '#!/bin/sh',
    'for a; do case "$a" in *volume=*) v=$(printf "%s" "$a" | sed -n "s/.*volume=\\(-\\{0,1\\}[0-9.]*\\)dB.*/\\1/p");; esac; done',
    `echo "$v" >> '${log}'`,
    // The input was measured at -20 LUFS, so the planned gain is +6 dB; make-up is v - 6.
    `i=$(awk "BEGIN{printf \\"%.1f\\", ${startLufs} + ${slope} * ($v - 6)}")`,
    'printf "[Parsed_ebur128_0] Summary:\\n\\n  Integrated loudness:\\n    I: %s LUFS\\n\\n  True peak:\\n    Peak: -2.0 dBFS\\n" "$i" >&2',
    'echo "out_time_us=30000000"',
  ].join('\n');
  await writeFile(bin, `${script}\n`);
  await chmod(bin, 0o755);
  const gains = async () =>
    (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((g) => Number(g) - 6);
  return { bins: { ffmpeg: bin, ffprobe: 'ffprobe' }, gains };
}

const mix: AudioMix = {
  tracks: [{ input: 0, role: 'music', loudness: { integratedLufs: -20, truePeakDbtp: -6, durationS: 30 } }],
  totalS: 30,
  fadeOutS: 2,
};

describe('make-up calibration', () => {
  it('finds the make-up a limiter calls for in a few runs (secant steps)', async () => {
    const fake = await limiterLike('punchy', -16.4, 0.4);
    const makeup = await calibrateMakeupDb(mix, ['/tmp/music.wav'], fake.bins);
    expect(makeup).toBeCloseTo(6, 0);
    const tried = await fake.gains();
    expect(tried[0]).toBe(0);
    expect(tried.length).toBeLessThanOrEqual(4);
    // What it returns was measured, never an unverified guess.
    expect(tried).toContain(makeup);
  });

  it('stops after one run when the planned gains already land on the target', async () => {
    const fake = await limiterLike('dense', -14.2, 1);
    expect(await calibrateMakeupDb(mix, ['/tmp/music.wav'], fake.bins)).toBe(0);
    expect(await fake.gains()).toEqual([0]);
  });

  it('caps the make-up and keeps the closest measured run when the target is out of reach', async () => {
    const fake = await limiterLike('squashed', -20, 0.1);
    const makeup = await calibrateMakeupDb(mix, ['/tmp/music.wav'], fake.bins);
    const tried = await fake.gains();
    expect(Math.max(...tried)).toBeLessThanOrEqual(8);
    expect(makeup).toBe(Math.max(...tried));
    expect(tried.length).toBeLessThanOrEqual(4);
  });
});
