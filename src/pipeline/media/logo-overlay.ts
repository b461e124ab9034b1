import { access } from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError } from '../../errors.ts';
import type { LogoRef } from '../brand.ts';
import type { Rect } from './safe-zones.ts';
import type { TextLayer } from './text-layer.ts';

/** The brand logo on the end card: a still PNG drawn into the text layer's logo slot. */
export interface LogoOverlay {
  path: string;
  /** The slot (text-layer.ts `logoSlot`): the logo is fitted inside it, centred, aspect kept. */
  box: Rect;
  startS: number;
  endS: number;
}

const num = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * Part of compose's single graph. The image is decoded and scaled ONCE and its one frame repeated
 * by `loop` (a `-loop 1` input would decode and scale the PNG again for every output frame); the
 * fade matches the ASS text's 250 ms. `shortest=1`: the endless logo stream ends with the video.
 */
export function logoOverlayChain(
  from: string,
  inputIndex: number,
  logo: LogoOverlay,
  fps: number,
  out: string,
): string {
  const { x, y, w, h } = logo.box;
  const start = num(logo.startS);
  return (
    `[${inputIndex}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,format=rgba,` +
    `loop=loop=-1:size=1,fps=${fps},fade=t=in:st=${start}:d=0.25:alpha=1[logo];` +
    `${from}[logo]overlay=x=${x}+(${w}-overlay_w)/2:y=${y}+(${h}-overlay_h)/2:` +
    `enable='between(t,${start},${num(logo.endS)})':shortest=1${out}`
  );
}

/** A kit's logo placed in the layer's end-card slot; a logo file gone from disk is said plainly. */
export async function brandLogoOverlay(
  ref: LogoRef | null,
  layer: TextLayer,
): Promise<LogoOverlay | undefined> {
  if (!ref || layer.logoSlot.w <= 0) return undefined;
  const found = await access(ref.path).then(
    () => true,
    () => false,
  );
  if (!found)
    throw new NonRetryableError(
      'logo_missing',
      `the brand logo file ${path.basename(ref.path)} is gone from the data folder; upload the logo again (/adgen brand)`,
    );
  return { path: ref.path, box: layer.logoSlot, startS: layer.endCard.startS, endS: layer.endCard.endS };
}
