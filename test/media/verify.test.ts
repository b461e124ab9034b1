import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCollected, mediaLabel } from '../../src/pipeline/media/collect-check.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { checkArgs, judgeMedia, parseCheck, verifyMedia } from '../../src/pipeline/media/verify.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-verify-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clip = (label = "scene 3's clip") => ({ kind: 'clip' as const, label, durationS: 5 });

describe('collect-time media checks decode, not just probe', () => {
  it('a whole clip passes and reports its decoded length', async () => {
    const v = await verifyMedia(await fakeMedia('video', 5), clip());
    expect(v.durationS).toBeCloseTo(5, 1);
    expect(v).toMatchObject({ width: 144, height: 256 });
  });

  it('a clip cut before its moov atom could not be decoded: the file is truncated', async () => {
    const f = await fakeMedia('video', 5, 'no-moov');
    await expect(verifyMedia(f, clip())).rejects.toMatchObject({
      code: 'media_rejected',
      message: "scene 3's clip could not be decoded: the file is truncated",
    });
  });

  it('a faststart clip cut mid-way probes as 5 s but is caught by the decode', async () => {
    const f = await fakeMedia('video', 5, 'truncated-faststart');
    await expect(verifyMedia(f, clip())).rejects.toThrow(
      /^scene 3's clip could not be decoded: the file is truncated \(only \d(\.\d)? s of it decodes\)$/,
    );
  });

  it('a clip with a broken frame in the middle (whole length, clean header) is refused', async () => {
    // The one check pass skips the loop filter: the broken slice must still be reported.
    const f = join(dir, 'broken-frame.mp4');
    const bytes = await readFile(await fakeMedia('video', 5));
    let seed = 7;
    const junk = Buffer.from(Array.from({ length: 2000 }, () => (seed = (seed * 1103515245 + 12345) % 256)));
    junk.copy(bytes, Math.floor(bytes.length * 0.4));
    await writeFile(f, bytes);
    await expect(verifyMedia(f, clip())).rejects.toThrow(/^scene 3's clip has \d+ decode errors?: /);
  });

  it('a clip far shorter than asked is named with both lengths', async () => {
    const f = await fakeMedia('video', 5, 'short');
    await expect(verifyMedia(f, clip())).rejects.toThrow("scene 3's clip is 1 s long; 5 s were asked");
  });

  it('12 s of music for a 30 s ad is accepted with its real length (the composer loops it); 2 s is not', async () => {
    const music = { kind: 'music' as const, label: 'the music track', durationS: 30 };
    expect((await verifyMedia(await fakeMedia('audio', 30, 'music-12s'), music)).durationS).toBeCloseTo(
      12,
      1,
    );
    await expect(verifyMedia(await fakeMedia('audio', 2), music)).rejects.toThrow(
      'the music track is 2 s long; at least 5 s are needed',
    );
    // A clip is not music: no audio stream.
    await expect(verifyMedia(await fakeMedia('video', 5), music)).rejects.toThrow(
      'the music track has no audio',
    );
  });

  it('images must decode and have sane dimensions', async () => {
    const label = "mood board 2's image 1";
    await expect(verifyMedia(await fakeMedia('image'), { kind: 'image', label })).resolves.toMatchObject({
      width: 144,
      height: 256,
    });
    const speck = join(dir, 'speck.png');
    await runBinary('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=s=16x16', '-frames:v', '1', speck]);
    await expect(verifyMedia(speck, { kind: 'image', label })).rejects.toThrow(`${label} is 16x16 pixels`);
  });

  it('a bad file in a batch rejects the batch and deletes every file of it', async () => {
    const { copyFile, access } = await import('node:fs/promises');
    const good = join(dir, 'good.mp4');
    const bad = join(dir, 'bad.mp4');
    await copyFile(await fakeMedia('video', 5), good);
    await copyFile(await fakeMedia('video', 5, 'no-moov'), bad);
    await expect(
      checkCollected([good, bad], 'mood-1/images/k', 'clip', { durationS: 5 }, undefined),
    ).rejects.toThrow(/mood board 2's image 2 could not be decoded/);
    await expect(access(good)).rejects.toThrow();
    await expect(access(bad)).rejects.toThrow();
  });

  it('pure parts: argument array, progress parsing, labels, judging', () => {
    const args = checkArgs('/x/in.mp4', 'clip');
    expect(args).toEqual(
      expect.arrayContaining(['-protocol_whitelist', 'file', '-show_streams', '-select_streams', 'v']),
    );
    expect(args.at(-1)).toBe('/x/in.mp4');
    // Frame entries are what make ffprobe decode every frame: without them it only reads headers.
    expect(args[args.indexOf('-show_entries') + 1]).toMatch(/^frame=/);
    const frames = [0, 1, 2].map((i) => ({
      best_effort_timestamp_time: `${i * 1.6}`,
      pkt_duration_time: '1.6',
    }));
    const r = parseCheck(
      JSON.stringify({ frames, streams: [{ codec_type: 'video', width: 9, height: 16 }], format: {} }),
      '\n[h264] bad\n',
    );
    expect(r.report).toEqual({ decodedS: 4.8, errors: ['[h264] bad'] });
    expect(r.info?.video).toMatchObject({ width: 9, height: 16 });
    // Cut-off JSON is not a clean file.
    expect(parseCheck('{"frames": [', '').report.fatal).toBeDefined();
    expect(mediaLabel('scene-0/clip/k/720x1280@30/again', 'clip', 0, 1)).toBe("scene 1's clip");
    expect(mediaLabel('music/abc', 'music', 0, 1)).toBe('the music track');
    const info = {
      durationS: 5,
      formatName: 'mp4',
      sizeBytes: 1,
      video: { width: 9, height: 16, fps: 24, codec: 'h264', pixFmt: 'yuv420p' },
    };
    expect(judgeMedia(clip(), info, { decodedS: 4.6, errors: [] })).toBeUndefined();
    expect(judgeMedia(clip(), info, { decodedS: 4.4, errors: [] })).toBe(
      "scene 3's clip is 4.4 s long; 5 s were asked",
    );
    expect(
      judgeMedia(clip(), info, { decodedS: 5, errors: ['[h264 @ 0x1] error while decoding MB 3 4'] }),
    ).toBe(`scene 3's clip has 1 decode error: ffmpeg reported "error while decoding MB 3 4"`);
  });
});
