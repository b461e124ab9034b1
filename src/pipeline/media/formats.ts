import path from 'node:path';
import type { Profile } from './profiles.ts';

/**
 * Output formats made from the same 9:16 clips. `9x16` is the product's default; the others are
 * reframes composed from the stored clips in their own pass (no clip is generated again).
 */
export const FORMATS = ['9x16', '4x5', '1x1', '16x9'] as const;
export type FormatName = (typeof FORMATS)[number];
export const DEFAULT_FORMAT: FormatName = '9x16';

/**
 * How the 9:16 picture becomes the format's frame.
 * - `crop`: a centre crop. 4:5 keeps the full width and 70 % of the height, 1:1 keeps 56 %: the
 *   seed images put their subject in the centre (the planners ask for it), so little is lost.
 * - `blur-pad`: for 16:9 a centre crop keeps 32 % of the frame and upscales a 720p clip 2.7x
 *   (soft, and heads cut off). Scale-and-pad with black bars keeps everything but leaves two
 *   thirds of the frame black. So: the whole 9:16 picture at full height in the middle, over a
 *   blurred, darkened copy of itself filling the width (what broadcasters do with vertical
 *   footage). The blur is made at 1/8 size and scaled up, so it costs next to nothing.
 */
export type Reframe = 'crop' | 'blur-pad';

interface FormatSpec {
  /** Final-profile size (1080 px on the short side; 16:9 is 1920x1080). */
  width: number;
  height: number;
  reframe: Reframe;
}

export const FORMAT_SPECS: Record<FormatName, FormatSpec> = {
  '9x16': { width: 1080, height: 1920, reframe: 'crop' },
  '4x5': { width: 1080, height: 1350, reframe: 'crop' },
  '1x1': { width: 1080, height: 1080, reframe: 'crop' },
  '16x9': { width: 1920, height: 1080, reframe: 'blur-pad' },
};

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);

/**
 * The profile of `format` at the size of `base` (a 9:16 profile): the short side scales like
 * the 9:16 width (final 1080, draft 720, tiny 144), so drafts stay proportionally smaller.
 * Codec settings (preset, CRF, audio) are the base's.
 */
export function formatProfile(base: Profile, format: FormatName): Profile {
  if (format === DEFAULT_FORMAT) return base;
  const spec = FORMAT_SPECS[format];
  const scale = base.width / FORMAT_SPECS['9x16'].width;
  return { ...base, width: even(spec.width * scale), height: even(spec.height * scale) };
}

/**
 * The size each clip is normalised to before the crossfades: the whole frame for a crop, the
 * 9:16 picture at full height for a blur-pad (the background is made once, after the chain).
 */
export function clipFrame(profile: Profile, reframe: Reframe): { width: number; height: number } {
  if (reframe === 'crop') return { width: profile.width, height: profile.height };
  return { width: even((profile.height * 9) / 16), height: profile.height };
}

/** `ad.mp4` + `4x5` -> `ad.4x5.mp4`: where the CLI writes the formats after the first. */
export function formatFilePath(outPath: string, format: FormatName): string {
  const { dir, name, ext } = path.parse(outPath);
  return path.join(dir, `${name}.${format}${ext || '.mp4'}`);
}

/** Parses a `--formats` list (`9x16,4x5`): known names, no repeats, at least one. */
export function parseFormatList(text: string): FormatName[] | string {
  const names = text
    .split(',')
    .map((s) => s.trim().toLowerCase().replace(':', 'x'))
    .filter(Boolean);
  if (names.length === 0) return `no format given (use some of: ${FORMATS.join(', ')})`;
  const bad = names.find((n) => !(FORMATS as readonly string[]).includes(n));
  if (bad) return `unknown format "${bad}" (use some of: ${FORMATS.join(', ')})`;
  return [...new Set(names)] as FormatName[];
}
