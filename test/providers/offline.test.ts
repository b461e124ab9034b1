import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.ts';
import { escapeFilterValue } from '../../src/pipeline/media/filter-escape.ts';
import { DEFAULT_BINS, runBinary } from '../../src/pipeline/media/run.ts';
import {
  createOfflineImageGen,
  createOfflineMusicGen,
  createOfflineProviders,
  createOfflineVideoGen,
} from '../../src/pipeline/providers/offline/index.ts';
import type { AsyncGen, GenContext, ImageInput } from '../../src/pipeline/providers/ports.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'adgen-offline-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dirCount = 0;
/** A fresh folder per case; `weird` puts filtergraph metacharacters into the path itself. */
async function ctx(stem: string, weird = false): Promise<GenContext> {
  const outDir = join(root, weird ? `o'k:a,b;[c]%d\\e ${dirCount++}` : `d${dirCount++}`);
  await import('node:fs/promises').then((fs) => fs.mkdir(outDir, { recursive: true }));
  return { outDir, fileStem: stem, signal: new AbortController().signal };
}

async function run<I>(gen: AsyncGen<I>, input: I, c: GenContext) {
  return gen.collect(await gen.submit(input, c), input, c);
}

/** Width and height straight from the PNG IHDR chunk (bytes 16-23). */
async function pngSize(path: string): Promise<[number, number]> {
  const buf = await readFile(path);
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

const image = (over: Partial<ImageInput> = {}): ImageInput => ({
  prompt: 'warm editorial',
  title: 'Fresh every week',
  palette: ['#F4E4D4', '#C9A58A', '#C8553D', '#588B8B', '#2B2118'],
  keywords: ['editorial'],
  count: 2,
  width: 144,
  height: 256,
  seed: 42,
  ...over,
});

describe('offline image', () => {
  const gen = createOfflineImageGen();

  it('renders count distinct PNGs at the requested size, deterministically', async () => {
    const c = await ctx('mood-0');
    const job = await gen.submit(image(), c);
    expect(job).toEqual({ id: (await gen.submit(image(), c)).id, costUsd: 0 });
    const { files } = await gen.collect(job, image(), c);
    expect(files).toEqual([join(c.outDir, 'mood-0-0.png'), join(c.outDir, 'mood-0-1.png')]);
    for (const f of files) expect(await pngSize(f)).toEqual([144, 256]);
    const [a, b] = await Promise.all(files.map((f) => readFile(f)));
    expect(a!.equals(b!)).toBe(false);
    const again = await run(gen, image(), await ctx('mood-0'));
    expect((await readFile(again.files[0]!)).equals(a!)).toBe(true);
    expect((await readdir(c.outDir)).sort()).toEqual(['mood-0-0.png', 'mood-0-1.png']);
  });

  it('renders 1080x1920 quickly', async () => {
    const started = Date.now();
    const { files } = await run(gen, image({ count: 1, width: 1080, height: 1920 }), await ctx('big'));
    expect(await pngSize(files[0]!)).toEqual([1080, 1920]);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('bakes no lettering in: the title never changes the picture (the text layer draws words)', async () => {
    const titles = ['Fresh every week', "%{localtime} {\\fs200} '];drawtext=text=pwned[", '你好 مرحبا'];
    const bytes = [];
    for (const [i, title] of titles.entries()) {
      const c = await ctx(`t${i}`, true);
      const { files } = await run(gen, image({ title, count: 1 }), c);
      expect(await pngSize(files[0]!)).toEqual([144, 256]);
      expect(await readdir(c.outDir)).toEqual([`t${i}-0.png`]);
      bytes.push(await readFile(files[0]!));
    }
    expect(bytes[1]!.equals(bytes[0]!)).toBe(true);
    expect(bytes[2]!.equals(bytes[0]!)).toBe(true);
  });

  it('escapes filter values at both levels', () => {
    expect(escapeFilterValue("a'b:c")).toBe("a\\\\\\'b\\\\:c");
    expect(escapeFilterValue('x,y;[z]')).toBe('x\\,y\\;\\[z\\]');
  });
});

async function probe(path: string) {
  const { stdout } = await runBinary(DEFAULT_BINS.ffprobe, [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=width,height,pix_fmt,codec_name',
    '-of',
    'json',
    path,
  ]);
  const info = JSON.parse(stdout) as {
    format: { duration: string };
    streams: { width: number; height: number; pix_fmt: string; codec_name: string }[];
  };
  return { duration: Number(info.format.duration), ...info.streams[0]! };
}

describe('offline video', () => {
  it('animates an image into an H.264 clip of the requested size and duration', async () => {
    const c = await ctx('img', true);
    const { files } = await run(createOfflineImageGen(), image({ count: 1 }), c);
    const gen = createOfflineVideoGen();
    for (const [w, h, fps, durationS, seed] of [
      [144, 256, 15, 3, 1],
      [360, 640, 30, 4, 2],
    ] as const) {
      const vc = { ...c, fileStem: `clip-${w}` };
      const input = { imagePath: files[0]!, prompt: 'slow push', durationS, width: w, height: h, fps, seed };
      const out = await run(gen, input, vc);
      expect(out.files).toEqual([join(c.outDir, `clip-${w}.mp4`)]);
      const p = await probe(out.files[0]!);
      expect(p).toMatchObject({ width: w, height: h, pix_fmt: 'yuv420p', codec_name: 'h264' });
      expect(Math.abs(p.duration - durationS)).toBeLessThanOrEqual(0.1);
    }
  });
});

describe('offline music', () => {
  it('writes a 16-bit stereo 44.1 kHz WAV of the right length, normalised below full scale', async () => {
    const gen = createOfflineMusicGen();
    for (const [tempoBpm, keywords] of [
      [84, ['calm']],
      [124, ['neon glow']],
    ] as const) {
      const input = { prompt: '', durationS: 6, tempoBpm, keywords: [...keywords], seed: 3 };
      const { files } = await run(gen, input, await ctx('music'));
      const wav = await readFile(files[0]!);
      expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
      expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
      expect([
        wav.readUInt16LE(20),
        wav.readUInt16LE(22),
        wav.readUInt32LE(24),
        wav.readUInt16LE(34),
      ]).toEqual([1, 2, 44100, 16]);
      expect(wav.readUInt32LE(40)).toBe(6 * 44100 * 4);
      const pcm = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
      const peak = pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(peak).toBeLessThan(32767);
      expect(peak).toBeGreaterThan(20000);
    }
  });

  it('synthesises 30 s fast and identically for the same input', async () => {
    const gen = createOfflineMusicGen();
    const input = { prompt: '', durationS: 30, tempoBpm: 120, keywords: ['bold'], seed: 9 };
    const started = Date.now();
    const a = await run(gen, input, await ctx('m'));
    expect(Date.now() - started).toBeLessThan(2500);
    const b = await run(gen, input, await ctx('m'));
    expect((await readFile(a.files[0]!)).equals(await readFile(b.files[0]!))).toBe(true);
  });
});

describe('offline delays', () => {
  it('ends a long artificial delay at once when the run is cancelled', async () => {
    const p = createOfflineProviders({ delayMs: { image: 60_000, video: 60_000, music: 60_000 } });
    const gens: [AsyncGen<never>, unknown][] = [
      [p.image as AsyncGen<never>, image()],
      [
        p.video as AsyncGen<never>,
        { imagePath: 'x.png', prompt: '', durationS: 3, width: 144, height: 256, fps: 15, seed: 1 },
      ],
      [p.music as AsyncGen<never>, { prompt: '', durationS: 3, tempoBpm: 90, keywords: [], seed: 1 }],
    ];
    for (const [gen, input] of gens) {
      const ac = new AbortController();
      const c = { ...(await ctx('slow')), signal: ac.signal };
      const started = Date.now();
      const pending = gen.collect({ id: 'x' }, input as never, c);
      setTimeout(() => ac.abort(), 30);
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });
});
