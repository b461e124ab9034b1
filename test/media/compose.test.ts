import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, NonRetryableError } from '../../src/errors.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { moovBeforeMdat, probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';

// Real ffmpeg at the tiny profile. Sources differ in size, aspect and fps, and several are
// shorter than their slot: exactly the inputs that break a naive xfade chain.
const SOURCES = [
  { src: 'testsrc2=s=320x240:r=25', d: 3, slotS: 4 },
  { src: 'testsrc2=s=640x360:r=30', d: 6, slotS: 5 },
  { src: 'testsrc2=s=200x400:r=24', d: 2.5, slotS: 5 },
  { src: 'color=c=red:s=720x1280:r=30', d: 6, slotS: 6 },
  { src: 'testsrc2=s=100x100:r=12', d: 3, slotS: 5 },
  { src: 'testsrc2=s=176x144:r=15', d: 8, slotS: 5 },
];

let dir = '';

const DECODE_PASSTHROUGH = '[ "$last" = "-" ] && exec ffmpeg "$@"';
/** Compose's temp files are `<out>.<pid>-<random>.part`, one per attempt. */
const tempsOf = (out: string) => readdirSync(dirname(out)).filter((n) => n.startsWith(`${basename(out)}.`));
let clips: ComposeInput['clips'] = [];
let musicPath = '';

async function ffmpeg(args: string[]): Promise<void> {
  await runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args]);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-compose-'));
  clips = SOURCES.map((s, i) => ({ path: join(dir, `clip${i}.mp4`), slotS: s.slotS }));
  musicPath = join(dir, 'music.wav');
  await Promise.all([
    ...SOURCES.map((s, i) =>
      ffmpeg([
        '-f',
        'lavfi',
        '-i',
        `${s.src}:d=${s.d}`,
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        clips[i]!.path,
      ]),
    ),
    // Shorter than the ad: the composer must loop it.
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100:d=20', '-ac', '1', musicPath]),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const MEASURED = { integratedLufs: -20, truePeakDbtp: -8, durationS: 20 };

const tiny = (name: string, extra: Partial<ComposeInput> = {}): ComposeInput => ({
  clips,
  musicPath,
  profile: PROFILES.tiny,
  outPath: join(dir, name),
  ...extra,
});

describe('compose (real ffmpeg)', () => {
  it('renders an exact 30 s 9:16 H.264/AAC file with faststart', async () => {
    const progress: number[] = [];
    const result = await compose(tiny('full.mp4'), { onProgress: (f) => progress.push(f) });
    expect(result.path).toBe(join(dir, 'full.mp4'));
    expect(existsSync(`${result.path}.part`)).toBe(false);
    const info = await probeMedia(result.path);
    expect(info.durationS).toBeGreaterThan(29.7);
    expect(info.durationS).toBeLessThan(30.3);
    expect(info.video).toMatchObject({ codec: 'h264', width: 144, height: 256, fps: 15, pixFmt: 'yuv420p' });
    expect(info.audio).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
    expect(info.sizeBytes).toBe(result.sizeBytes);
    expect(await moovBeforeMdat(result.path)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('meets a size target in the same pass (silence when there is no music)', async () => {
    const maxBytes = 400_000;
    const result = await compose(tiny('sized.mp4', { maxBytes, musicPath: undefined }));
    expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
    const info = await probeMedia(result.path);
    expect(info.audio?.codec).toBe('aac');
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  });

  it('fails with ffmpeg stderr for a corrupt input and leaves no file behind', async () => {
    const bad = join(dir, 'corrupt.mp4');
    await writeFile(bad, Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(5000, 0x5a)]));
    const input = tiny('corrupt-out.mp4', { clips: [clips[0]!, { path: bad, slotS: 26 }] });
    const err = await compose(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/corrupt\.mp4.*(Invalid data|moov atom not found)/s);
    expect(existsSync(input.outPath)).toBe(false);
    expect(tempsOf(input.outPath)).toEqual([]);
  });

  it('is cancelled by an AbortSignal and leaves no file behind', async () => {
    const controller = new AbortController();
    const input = tiny('aborted.mp4');
    const run = compose(input, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(existsSync(input.outPath)).toBe(false);
    expect(tempsOf(input.outPath)).toEqual([]);
  });

  it('never hands on a file over the size limit', async () => {
    // A stand-in ffmpeg that "encodes" an oversized but otherwise valid file: the guard must
    // catch what a real encoder overshoot would produce.
    const big = join(dir, 'big.mp4');
    const src = ['-f', 'lavfi', '-i', 'testsrc2=s=144x256:r=15:d=30', '-f', 'lavfi', '-i', 'sine=d=30'];
    await ffmpeg([...src, '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '400k', '-c:a', 'aac', big]);
    const fake = join(dir, 'fake-ffmpeg.sh');
    // The stand-in encodes by copying; compose's full decode (`-f null -`) goes to the real ffmpeg.
    await writeFile(fake, `#!/bin/sh\nfor last; do :; done\n${DECODE_PASSTHROUGH}\ncp '${big}' "$last"\n`);
    await chmod(fake, 0o755);
    // Loudness given, so the stand-in is only ever asked to encode (not to measure the music).
    const input = tiny('oversize.mp4', { maxBytes: 400_000, musicLoudness: MEASURED });
    const err = await compose(input, { bins: { ffmpeg: fake, ffprobe: 'ffprobe' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonRetryableError);
    expect((err as NonRetryableError).message).toMatch(/over the 400000-byte limit/);
    expect(existsSync(input.outPath)).toBe(false);
    expect(tempsOf(input.outPath)).toEqual([]);
  });

  it('fits a small target on a second pass when the encoder overshot the first', async () => {
    // A stand-in ffmpeg whose first "encode" overshoots; the retry must ask for a lower bitrate.
    const big = join(dir, 'slightly-big.mp4');
    const small = join(dir, 'small.mp4');
    const src = ['-f', 'lavfi', '-i', 'testsrc2=s=144x256:r=15:d=30', '-f', 'lavfi', '-i', 'sine=d=30'];
    await ffmpeg([
      ...src,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-b:v',
      '120k',
      '-c:a',
      'aac',
      '-b:a',
      '32k',
      big,
    ]);
    await ffmpeg([
      ...src,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-b:v',
      '60k',
      '-c:a',
      'aac',
      '-b:a',
      '32k',
      small,
    ]);
    const log = join(dir, 'bitrates.log');
    const fake = join(dir, 'fake-ffmpeg-2.sh');
    const script = [
      '#!/bin/sh',
      'for last; do :; done',
      DECODE_PASSTHROUGH,
      `prev=""; for a; do [ "$prev" = "-b:v" ] && echo "$a" >> '${log}'; prev="$a"; done`,
      'for last; do :; done',
      `if [ "$(wc -l < '${log}')" -le 1 ]; then cp '${big}' "$last"; else cp '${small}' "$last"; fi`,
    ].join('\n');
    await writeFile(fake, `${script}\n`);
    await chmod(fake, 0o755);
    const maxBytes = Math.round(statSync(big).size * 0.9);
    const input = tiny('retry.mp4', { maxBytes, musicLoudness: MEASURED });
    const out = await compose(input, { bins: { ffmpeg: fake, ffprobe: 'ffprobe' } });
    expect(out.sizeBytes).toBeLessThanOrEqual(maxBytes);
    const rates = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((r) => Number.parseInt(r, 10));
    expect(rates).toHaveLength(2);
    expect(rates[1]!).toBeLessThan(rates[0]!);
  });
});
