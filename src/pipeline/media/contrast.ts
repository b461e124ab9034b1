import { inkFor, luminance } from './text-block.ts';

/**
 * WCAG 2.x contrast for brand colours: words on the end card must stay readable whatever the
 * kit says. Normal text needs 4.5:1 (success criterion 1.4.3); the end card's words are large,
 * but 4.5 also covers the URL line, which is small. Pure functions.
 */
export const MIN_TEXT_CONTRAST = 4.5;

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const channels = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const toHex = (c: number[]) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;

/** `hex` mixed toward `target` by `t` (0..1), in sRGB. */
export function mix(hex: string, target: string, t: number): string {
  const a = channels(hex);
  const b = channels(target);
  return toHex(a.map((v, i) => v + (b[i]! - v) * t));
}

export interface Legible {
  colour: string;
  adjusted: boolean;
  /** Contrast of the colour asked for, and of the one used. */
  before: number;
  after: number;
}

/**
 * `wanted` as text on `background`, or the nearest colour that reads: mixed toward black or
 * white (whichever the background contrasts with more) in small steps until it reaches `min`,
 * so a brand's hue survives where it can. Every background reaches 4.5:1 with black or white.
 */
export function legibleOn(background: string, wanted: string, min = MIN_TEXT_CONTRAST): Legible {
  const before = contrastRatio(background, wanted);
  if (before >= min) return { colour: wanted, adjusted: false, before, after: before };
  const pole = inkFor(background);
  for (let step = 1; step <= 20; step++) {
    const candidate = mix(wanted, pole, step / 20);
    const after = contrastRatio(background, candidate);
    if (after >= min) return { colour: candidate, adjusted: true, before, after };
  }
  return { colour: pole, adjusted: true, before, after: contrastRatio(background, pole) };
}

const ratio = (x: number) => `${Math.floor(x * 10) / 10}:1`;

/** The one line the thread or the CLI shows when a colour was changed. */
export function contrastNote(what: string, background: string, wanted: string, l: Legible): string {
  return (
    `${what} ${wanted} is hard to read on ${background} (${ratio(l.before)}); ` +
    `the end card uses ${l.colour} instead (${ratio(l.after)}, WCAG asks for ${MIN_TEXT_CONTRAST}:1).`
  );
}
