import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES, LogoRejectedError, readCapped, storeLogo } from '../../src/pipeline/media/logo.ts';
import { headerSize, sniffImage } from '../../src/pipeline/media/logo-sniff.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';

let dir: string;
const file = (name: string) => path.join(dir, name);
/** Real images, made by ffmpeg (argument arrays, no shell). */
function make(name: string, lavfi: string, extra: string[] = []): Buffer {
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    lavfi,
    '-frames:v',
    '1',
    ...extra,
    file(name),
  ]);
  return fs.readFileSync(file(name));
}
const store = (bytes: Buffer) => storeLogo(bytes, path.join(dir, 'brand'));
const rejected = async (bytes: Buffer, pattern: RegExp) => {
  const err = await store(bytes).catch((e: unknown) => e);
  expect(err, String(err)).toBeInstanceOf(LogoRejectedError);
  expect((err as Error).message).toMatch(pattern);
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-logo-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('logo sniffing and header sizes (pure)', () => {
  it('names each format by its bytes and reads its size from the header, whatever the file is called', () => {
    const png = make('a.jpg', 'color=red:s=320x200', ['-c:v', 'png', '-f', 'image2']);
    const jpeg = make('b.png', 'color=blue:s=300x150', ['-c:v', 'mjpeg', '-f', 'image2']);
    const webp = make('c.webp', 'color=green:s=250x126');
    const lossless = make('d.webp', 'color=green:s=99x77,format=rgba', ['-lossless', '1']);
    expect([sniffImage(png), sniffImage(jpeg), sniffImage(webp)]).toEqual(['png', 'jpeg', 'webp']);
    expect(headerSize(png, 'png')).toEqual({ width: 320, height: 200 });
    expect(headerSize(jpeg, 'jpeg')).toEqual({ width: 300, height: 150 });
    expect(headerSize(webp, 'webp')).toEqual({ width: 250, height: 126 });
    expect(headerSize(lossless, 'webp')).toEqual({ width: 99, height: 77 });
    expect(
      sniffImage(Buffer.from('\uFEFF<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBe('svg');
    expect(sniffImage(Buffer.from('%PDF-1.7 not an image'))).toBe('unknown');
  });
});

describe('storeLogo', () => {
  it('re-encodes a PNG with alpha to a clean RGBA PNG named by its hash', async () => {
    const png = make('alpha.png', 'color=red@0.4:s=400x200,format=rgba');
    const ref = await store(png);
    expect(path.basename(ref.path)).toMatch(/^logo-[0-9a-f]{16}\.png$/);
    expect(ref).toMatchObject({ width: 400, height: 200 });
    const info = await probeMedia(ref.path);
    expect(info.video).toMatchObject({ codec: 'png', pixFmt: 'rgba', width: 400, height: 200 });
    // The same picture again is the same file: a run's snapshot never points at changed bytes.
    expect((await store(png)).path).toBe(ref.path);
    // Only the clean logo is left behind (no upload copies).
    expect(fs.readdirSync(path.join(dir, 'brand')).filter((f) => !f.startsWith('logo-'))).toEqual([]);
  });

  it('accepts JPEG and WebP and turns them into PNG', async () => {
    const jpeg = await store(make('j.jpg', 'color=blue:s=300x150', ['-c:v', 'mjpeg', '-f', 'image2']));
    const webp = await store(make('w.webp', 'color=green:s=250x126'));
    expect((await probeMedia(jpeg.path)).video?.codec).toBe('png');
    expect((await probeMedia(webp.path)).video).toMatchObject({ codec: 'png', width: 250, height: 126 });
  });

  it('refuses SVG, non-images, GIF and empty files with a plain reason', async () => {
    await rejected(
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
      /SVG.*PNG/,
    );
    await rejected(Buffer.from('hello, this is a text file'), /not a PNG, JPEG or WebP/);
    await rejected(make('g.gif', 'color=red:s=20x20'), /GIF/);
    await rejected(Buffer.alloc(0), /empty/);
  });

  it('refuses a PNG bomb (10000x10000 in a few KB) from its header, before any decoder runs', async () => {
    const bomb = make('bomb.png', 'color=black:s=10000x10000', ['-pix_fmt', 'monob']);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const started = Date.now();
    await rejected(bomb, /10000x10000 pixels; a logo can be at most 4096x4096/);
    expect(Date.now() - started).toBeLessThan(1000);
    await rejected(make('wide.png', 'color=black:s=16x16,scale=4097:16', ['-pix_fmt', 'monob']), /4097x16/);
  });

  it('refuses a damaged image whose header looks fine', async () => {
    const png = make('cut.png', 'testsrc2=s=640x480');
    await rejected(png.subarray(0, Math.floor(png.length / 2)), /damaged|could not be read/);
  });

  it('refuses 50 MB while downloading, after reading just over 5 MB', async () => {
    let served = 0;
    let cancelled = false;
    async function* fifty() {
      for (let i = 0; i < 50; i++) {
        served += 1024 * 1024;
        yield new Uint8Array(1024 * 1024);
      }
    }
    const err = await readCapped(fifty(), LOGO_MAX_BYTES, () => {
      cancelled = true;
    }).catch((e: unknown) => e);
    expect(err, String(err)).toBeInstanceOf(LogoRejectedError);
    expect((err as Error).message).toMatch(/at most 5 MB/);
    expect(served).toBeLessThanOrEqual(6 * 1024 * 1024);
    expect(cancelled).toBe(true);
    await rejected(Buffer.alloc(LOGO_MAX_BYTES + 1), /at most 5 MB/);
  });
});
