/**
 * What an uploaded logo really is, from its first bytes (never its name or the platform's mime
 * type, both set by whoever uploads), and its pixel size from the format's own header, read
 * before anything decodes it: a 10000x10000 PNG of a few KB would otherwise inflate to 400 MB.
 * Pure functions over a Buffer.
 */
export type LogoFormat = 'png' | 'jpeg' | 'webp';
export type Sniffed = LogoFormat | 'svg' | 'gif' | 'unknown';

export function sniffImage(head: Buffer): Sniffed {
  if (
    head.length >= 8 &&
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  if (head.length >= 6 && /^GIF8[79]a/.test(head.toString('latin1', 0, 6))) return 'gif';
  // SVG is text: optional BOM, whitespace, an XML prolog or comments, then <svg.
  const text = head
    .toString('utf8', 0, Math.min(head.length, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(text)) return 'svg';
  return 'unknown';
}

export interface HeaderSize {
  width: number;
  height: number;
}

/** PNG: the IHDR chunk must come first (PNG spec 11.2.2), width and height big-endian. */
function pngSize(b: Buffer): HeaderSize | null {
  if (b.length < 24 || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** JPEG: walk the marker segments to the first start-of-frame (SOF0..SOF15 but DHT/JPG/DAC). */
function jpegSize(b: Buffer): HeaderSize | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    const sof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (sof) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    if (len < 2) return null;
    i += 2 + len;
  }
  return null;
}

/** WebP: lossy VP8, lossless VP8L or extended VP8X (RFC 9649). */
function webpSize(b: Buffer): HeaderSize | null {
  if (b.length < 30) return null;
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}

export function headerSize(b: Buffer, format: LogoFormat): HeaderSize | null {
  if (format === 'png') return pngSize(b);
  if (format === 'jpeg') return jpegSize(b);
  return webpSize(b);
}
