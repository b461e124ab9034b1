import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkComposed } from '../../src/pipeline/media/compose-check.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';

// Real ffprobe on real H.264 + AAC: the threaded check of a composed file finds what the
// one-thread check finds.

let dir = '';
let good = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-compose-check-'));
  good = join(dir, 'good.mp4');
  await runBinary('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error'],
    ...['-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=30:d=6', '-f', 'lavfi', '-i', 'sine=f=440:d=6'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-movflags', '+faststart', good],
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('checkComposed', () => {
  it('decodes every frame of a whole file and reports no error', async () => {
    const { info, report } = await checkComposed(good);
    expect(report.errors).toEqual([]);
    expect(report.fatal).toBeUndefined();
    expect(report.decodedS).toBeCloseTo(6, 1);
    expect(info?.video && info.audio).toBeTruthy();
  });

  it('reports the damage in a file whose middle was overwritten', async () => {
    const bad = join(dir, 'bad.mp4');
    await runBinary('cp', [good, bad]);
    const { size } = await stat(bad);
    const fd = await open(bad, 'r+');
    let seed = 7;
    const junk = Buffer.alloc(Math.floor(size / 5)).map(() => (seed = (seed * 1103515245 + 12345) % 256));
    await fd.write(junk, 0, junk.length, Math.floor(size * 0.4));
    await fd.close();
    const { report } = await checkComposed(bad);
    expect(report.errors.length).toBeGreaterThan(0);
  });

  it('a file that is not media is a fatal report, not a throw', async () => {
    const { report } = await checkComposed(join(dir, 'missing.mp4'));
    expect(report.fatal).toBe('check');
  });
});
