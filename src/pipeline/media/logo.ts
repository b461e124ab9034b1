import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError } from '../../errors.ts';
import type { LogoRef } from '../brand.ts';
import { headerSize, type LogoFormat, sniffImage } from './logo-sniff.ts';
import { probeMedia } from './probe.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';

/** Limits of an uploaded logo (issue 9): what people upload, and what the end card ever needs. */
export const LOGO_MAX_BYTES = 5 * 1024 * 1024;
export const LOGO_MAX_SIDE = 4096;

/** A logo that cannot be used, with the sentence to show: nothing else about the kit changes. */
export class LogoRejectedError extends NonRetryableError {
  constructor(message: string) {
    super('logo_rejected', message);
    this.name = 'LogoRejectedError';
  }
}

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
const tooBig = (n: number | string, max = LOGO_MAX_BYTES) =>
  new LogoRejectedError(`That file is ${n}; a logo can be at most ${mb(max)}.`);

/** A declared size (platforms send one) over the cap is refused before downloading at all. */
export function checkDeclaredSize(bytes: number | undefined, max = LOGO_MAX_BYTES): void {
  if (bytes !== undefined && bytes > max) throw tooBig(mb(bytes), max);
}

/**
 * Reads a download to memory, stopping the moment it passes `max` bytes: a 50 MB file costs at
 * most 5 MB of transfer and memory, whatever size the sender declared. `cancel` ends the transfer.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array>,
  max = LOGO_MAX_BYTES,
  cancel?: () => void,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > max) {
      cancel?.();
      throw tooBig(`more than ${mb(max)}`, max);
    }
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

const WHAT: Record<string, string> = {
  svg: 'That is an SVG. I can only use PNG, JPEG or WebP logos: export it as a PNG (a transparent background works) and upload that.',
  gif: 'That is a GIF. I can only use PNG, JPEG or WebP logos.',
  unknown: 'That file is not a PNG, JPEG or WebP image, so I can’t use it as a logo.',
};

/** Everything checked before any decoder sees the bytes. */
export function precheckLogo(bytes: Buffer): { format: LogoFormat; width: number; height: number } {
  if (bytes.length > LOGO_MAX_BYTES) throw tooBig(mb(bytes.length));
  if (bytes.length === 0) throw new LogoRejectedError('That file is empty.');
  const kind = sniffImage(bytes);
  if (kind !== 'png' && kind !== 'jpeg' && kind !== 'webp') throw new LogoRejectedError(WHAT[kind]!);
  const size = headerSize(bytes, kind);
  if (!size || size.width < 1 || size.height < 1)
    throw new LogoRejectedError(`That ${kind.toUpperCase()} has a damaged header, so I can’t read it.`);
  if (size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE)
    throw new LogoRejectedError(
      `That image is ${size.width}x${size.height} pixels; a logo can be at most ${LOGO_MAX_SIDE}x${LOGO_MAX_SIDE}. ` +
        'Scale it down and upload it again.',
    );
  return { format: kind, ...size };
}

/** Decode fully, then write a fresh RGBA PNG: metadata, extra chunks and trailing bytes stay behind. */
export function reencodeArgs(input: string, output: string): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-v', 'error', '-xerror', '-protocol_whitelist', 'file'],
    ...['-i', input, '-frames:v', '1', '-map_metadata', '-1'],
    ...[
      '-vf',
      `scale='min(iw,${LOGO_MAX_SIDE})':'min(ih,${LOGO_MAX_SIDE})':force_original_aspect_ratio=decrease,format=rgba`,
    ],
    ...['-c:v', 'png', '-f', 'image2', '-y', output],
  ];
}

/**
 * Checks an uploaded logo and stores it as a clean PNG in `dir`, named by its hash (so a run's
 * snapshot of a kit keeps pointing at the same bytes after the kit changes). Throws
 * LogoRejectedError with a plain sentence for anything that is not a usable PNG/JPEG/WebP.
 */
export async function storeLogo(
  bytes: Buffer,
  dir: string,
  bins: FfmpegBins = DEFAULT_BINS,
): Promise<LogoRef> {
  const head = precheckLogo(bytes);
  await mkdir(dir, { recursive: true });
  const tag = randomBytes(6).toString('hex');
  // Generated names only: the uploader's file name never reaches ffmpeg or the disk.
  const raw = path.join(dir, `upload-${tag}.${head.format === 'jpeg' ? 'jpg' : head.format}`);
  const clean = path.join(dir, `clean-${tag}.png`);
  try {
    await writeFile(raw, bytes);
    const info = await probeMedia(raw, bins).catch(() => null);
    const v = info?.video;
    // The decoder's view must agree with the header we checked: otherwise the header lied.
    if (!v || v.width !== head.width || v.height !== head.height)
      throw new LogoRejectedError('That image could not be read (its header does not match its contents).');
    await runBinary(bins.ffmpeg, reencodeArgs(raw, clean), { limit: bins.limit }).catch(() => {
      throw new LogoRejectedError(
        'That image is damaged or incomplete, so I can’t use it. Try exporting it again.',
      );
    });
    const png = await readFile(clean);
    const sha256 = createHash('sha256').update(png).digest('hex');
    const final = path.join(dir, `logo-${sha256.slice(0, 16)}.png`);
    await rename(clean, final);
    const out = await probeMedia(final, bins);
    return {
      path: final,
      sha256,
      width: out.video?.width ?? head.width,
      height: out.video?.height ?? head.height,
      bytes: (await stat(final)).size,
    };
  } finally {
    await rm(raw, { force: true });
    await rm(clean, { force: true });
  }
}
