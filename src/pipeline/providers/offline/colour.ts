/** Colour helpers shared by the offline image renderer (and handy for tests). */

export type Rgb = [number, number, number];

/** Used when a model hands us fewer than four valid colours. */
const FALLBACK = ['#F4E4D4', '#C9A58A', '#C8553D', '#588B8B', '#2B2118'];

export function parseHex(hex: string): Rgb | null {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Relative luminance (sRGB, WCAG) in [0, 1]. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [0, 1, 2].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * t)) as Rgb;
}

/** ffmpeg colour syntax: 0xRRGGBB with an optional @alpha. */
export function ff(c: Rgb, alpha?: number): string {
  const hex = c.map((v) => v.toString(16).padStart(2, '0')).join('');
  return alpha === undefined ? `0x${hex}` : `0x${hex}@${alpha.toFixed(2)}`;
}

export interface Roles {
  bgA: Rgb;
  bgB: Rgb;
  accentA: Rgb;
  accentB: Rgb;
  /** Darkest and lightest colours: the title band and the title text. */
  dark: Rgb;
  light: Rgb;
}

/**
 * Assigns roles by position (the offline moods order their palettes this way) but picks the
 * band and text colours by luminance, so any model's palette still yields readable titles.
 */
export function paletteRoles(palette: readonly string[]): Roles {
  const parsed = palette.map(parseHex).filter((c): c is Rgb => c !== null);
  const cols = parsed.length >= 4 ? parsed : FALLBACK.map((h) => parseHex(h)!);
  const byLum = [...cols].sort((a, b) => luminance(a) - luminance(b));
  const dark = byLum[0]!;
  const lightest = byLum[byLum.length - 1]!;
  // White text unless the lightest colour is itself clearly light (keeps a warm cream, say).
  const light: Rgb = luminance(lightest) > 0.75 ? lightest : [255, 255, 255];
  return {
    bgA: cols[0]!,
    bgB: cols[1]!,
    accentA: cols[2]!,
    accentB: cols[3]!,
    dark: luminance(dark) < 0.12 ? dark : mix(dark, [0, 0, 0], 0.55),
    light,
  };
}
