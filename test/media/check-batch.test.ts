import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.ts';
import { createLimiter } from '../../src/pipeline/limit.ts';
import { batchArgs } from '../../src/pipeline/media/check-batch.ts';
import { verifyAll } from '../../src/pipeline/media/check-queue.ts';
import { checkCollected } from '../../src/pipeline/media/collect-check.ts';
import type { FfmpegBins } from '../../src/pipeline/media/run.ts';
import { verifyMedia } from '../../src/pipeline/media/verify.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';
import { ff, probes, realFiles } from './check-batch-fixtures.ts';

let dir = '';

const bins = (slots = 2): FfmpegBins => ({
  ffmpeg: 'ffmpeg',
  ffprobe: 'ffprobe',
  limit: createLimiter(slots),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-batch-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('collect checks share one ffprobe', () => {
  it('clean files: one process, and the same measurements as each file checked alone', async () => {
    const files = await realFiles(dir);
    const alone = [];
    for (const f of files) alone.push(await verifyMedia(f.path, f.want));
    const { result, runs } = await probes(() => verifyAll(files, bins()));
    // The pictures in one process; the three sound files alone (check-batch.ts says why).
    expect(runs.filter((r) => r.args.includes('lavfi'))).toHaveLength(1);
    expect(runs).toHaveLength(4);
    // Stored lengths are the per-file pass's to the millisecond (B-frames and an mp3 included).
    expect(result.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(alone);
    expect(alone[4]!.durationS).toBe(12.3);
  }, 60_000);

  it('one bad file among good ones gets exactly its verdict alone; the good ones pass', async () => {
    const good = await fakeMedia('video', 5);
    const clip = (n: number) => ({ kind: 'clip' as const, label: `scene ${n}'s clip`, durationS: 5 });
    const broken = join(dir, 'broken.mp4');
    const bytes = await readFile(good);
    let seed = 7;
    Buffer.from(Array.from({ length: 2000 }, () => (seed = (seed * 1103515245 + 12345) % 256))).copy(
      bytes,
      Math.floor(bytes.length * 0.4),
    );
    await writeFile(broken, bytes);
    const speck = join(dir, 'speck.png');
    await ff(['-f', 'lavfi', '-i', 'color=s=16x16', '-frames:v', '1', speck]);
    const bads = [
      { path: await fakeMedia('video', 5, 'no-moov'), want: clip(2) },
      { path: await fakeMedia('video', 5, 'truncated-faststart'), want: clip(2) },
      { path: broken, want: clip(2) },
      { path: await fakeMedia('video', 5, 'short'), want: clip(2) },
      { path: speck, want: { kind: 'image' as const, label: "scene 2's image" } },
      {
        path: await fakeMedia('audio', 2),
        want: { kind: 'music' as const, label: 'the music track', durationS: 30 },
      },
      { path: good, want: { kind: 'music' as const, label: 'the music track', durationS: 30 } },
    ];
    for (const bad of bads) {
      const alone = await verifyMedia(bad.path, bad.want).catch((e: Error) => e);
      expect(alone).toBeInstanceOf(Error);
      const trio = [{ path: good, want: clip(1) }, bad, { path: good, want: clip(3) }];
      const { result, runs } = await probes(() => verifyAll(trio, bins()));
      const [a, b, c] = result;
      // Tried together, then each file alone: the batch never gives a verdict of its own. (Music
      // is always checked alone: the two clips are a clean batch then.)
      const batched = runs.filter((r) => r.args.includes('lavfi')).length;
      expect([batched, runs.length]).toEqual(bad.want.kind === 'music' ? [1, 2] : [1, 4]);
      expect(a).toMatchObject({ status: 'fulfilled', value: { durationS: 5 } });
      expect(c).toMatchObject({ status: 'fulfilled', value: { durationS: 5 } });
      expect(b).toMatchObject({ status: 'rejected', reason: { message: (alone as Error).message } });
    }
  }, 120_000);

  it('checks from different steps waiting for a slot are coalesced into one process', async () => {
    const b = bins(1);
    let free = () => {};
    const busy = b.limit!(() => new Promise<void>((r) => (free = r)));
    const clip = { kind: 'clip' as const, label: "scene 1's clip", durationS: 5 };
    const image = { kind: 'image' as const, label: "scene 1's image" };
    const { result, runs } = await probes(async () => {
      const steps = [
        verifyAll([{ path: await fakeMedia('video', 5), want: clip }], b),
        verifyAll([{ path: await fakeMedia('image'), want: image }], b),
        checkCollected(
          [await fakeMedia('image'), await fakeMedia('image')],
          'mood-0/images/k',
          'image',
          {},
          b,
        ),
      ];
      await new Promise((r) => setTimeout(r, 50));
      free();
      await busy;
      return Promise.all(steps);
    });
    expect(runs).toHaveLength(1);
    expect(result[2]).toHaveLength(2);
  }, 30_000);

  it('the music check goes ahead of clip checks already waiting (the audio measurement waits for it)', async () => {
    const b = bins(1);
    let free = () => {};
    const busy = b.limit!(() => new Promise<void>((r) => (free = r)));
    const clip = { kind: 'clip' as const, label: "scene 1's clip", durationS: 5 };
    const music = { kind: 'music' as const, label: 'the music track', durationS: 30 };
    const [video, audio] = [await fakeMedia('video', 5), await fakeMedia('audio', 30)];
    const { runs } = await probes(async () => {
      const clips = verifyAll([{ path: video, want: clip }], b);
      await new Promise((r) => setTimeout(r, 20));
      const track = verifyAll([{ path: audio, want: music }], b);
      free();
      await busy;
      return Promise.all([clips, track]);
    });
    expect(runs.sort((x, y) => x.startedAt - y.startedAt).map((r) => r.args.at(-1))).toEqual([audio, video]);
  });

  it('with a free slot a lone check starts at once and is the per-file check itself', async () => {
    const path = await fakeMedia('video', 5);
    const want = { kind: 'clip' as const, label: "scene 1's clip", durationS: 5 };
    const { runs } = await probes(() => verifyAll([{ path, want }], bins()));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.args).not.toContain('lavfi');
    expect(runs[0]!.startedAt - runs[0]!.queuedAt).toBeLessThan(50);
  });

  it("one run's cancel rejects its check only; the batch goes on for the others", async () => {
    const path = await fakeMedia('video', 5);
    const want = { kind: 'clip' as const, label: "scene 1's clip", durationS: 5 };
    const stop = new AbortController();
    const b = bins();
    const { result, runs } = await probes(async () => {
      const done = Promise.all([
        verifyAll([{ path, want }], b, stop.signal),
        verifyAll([{ path, want }], b),
        verifyAll([{ path, want }], b),
      ]);
      setTimeout(() => stop.abort(), 5);
      return done;
    });
    expect(result[0]![0]).toMatchObject({ status: 'rejected', reason: expect.any(CancelledError) });
    expect(result[1]![0]).toMatchObject({ status: 'fulfilled', value: { durationS: 5 } });
    expect(result[2]![0]).toMatchObject({ status: 'fulfilled', value: { durationS: 5 } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ ok: true });
  });

  it('a path with every character lavfi treats specially is escaped and measured the same', async () => {
    const odd = join(dir, "we ird/it's [odd];x,y:z=1 \\b.mp4");
    await mkdir(join(dir, 'we ird'), { recursive: true });
    await copyFile(await fakeMedia('video', 5), odd);
    const want = { kind: 'clip' as const, label: "scene 1's clip", durationS: 5 };
    const image = { path: await fakeMedia('image'), want: { kind: 'image' as const, label: 'i' } };
    const { result, runs } = await probes(() => verifyAll([{ path: odd, want }, image], bins()));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.args).toContain('lavfi');
    expect(result[0]).toEqual({ status: 'fulfilled', value: await verifyMedia(odd, want) });
  });

  it('each file is its own movie source with the per-file protocol whitelist', () => {
    const args = batchArgs([
      { path: '/r/a.mp4', want: { kind: 'clip', label: 'a' } },
      { path: '/r/b.png', want: { kind: 'image', label: 'b' } },
    ]);
    expect(args.at(-1)).toBe(
      'movie=/r/a.mp4:format_opts=protocol_whitelist=file[out0];movie=/r/b.png:format_opts=protocol_whitelist=file[out1]',
    );
  });
});
