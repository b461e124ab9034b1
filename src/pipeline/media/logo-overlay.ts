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
 * Part of compose's single graph: the chain `from` with the logo drawn over the end card, to
 * `out`. Only the end card's frames go through `overlay`: the chain is cut at the card's start
 * (and end), the logo is laid over that piece, and concat joins the pieces again. An overlay over
 * the whole ad, switched on by `enable=`, still handles every frame of it, and its frame sync
 * copies most main frames into fresh unpooled buffers when the logo stream has no next frame
 * queued (measured ~1.9 CPU-s of a final compose, with page faults; test/bench/compose-split.ts).
 * The image is decoded and scaled ONCE and its one frame repeated by `loop` (a `-loop 1` input
 * would decode and scale the PNG again for every output frame); the fade matches the ASS text's
 * 250 ms and starts with the piece, as it did at the card's start. `shortest=1`: the endless logo
 * stream ends with the piece.
 */
export function logoOverlayChain(
  from: string,
  inputIndex: number,
  logo: LogoOverlay,
  fps: number,
  out: string,
  totalS: number,
): string {
  const { x, y, w, h } = logo.box;
  const before = logo.startS > 0.001;
  const after = logo.endS < totalS - 0.001;
  const card = `trim=start=${num(logo.startS)}${after ? `:end=${num(logo.endS)}` : ''}`;
  // The pieces in timeline order, each a trim of the chain; the card's gets the logo.
  const pieces = [
    ...(before ? [{ name: 'before', trim: `trim=end=${num(logo.startS)}` }] : []),
    { name: 'card', trim: card },
    ...(after ? [{ name: 'after', trim: `trim=start=${num(logo.endS)}` }] : []),
  ];
  const parts: string[] = [];
  if (pieces.length > 1)
    parts.push(`${from}split=${pieces.length}${pieces.map((p) => `[lgs${p.name}]`).join('')}`);
  for (const p of pieces) {
    const src = pieces.length > 1 ? `[lgs${p.name}]` : from;
    parts.push(`${src}${p.trim},setpts=PTS-STARTPTS[lg${p.name}]`);
  }
  const joined = pieces.map((p) => (p.name === 'card' ? '[lgon]' : `[lg${p.name}]`));
  parts.push(
    `[${inputIndex}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,format=rgba,` +
      `loop=loop=-1:size=1,fps=${fps},fade=t=in:st=0:d=0.25:alpha=1[logo]`,
    `[lgcard][logo]overlay=x=${x}+(${w}-overlay_w)/2:y=${y}+(${h}-overlay_h)/2:shortest=1` +
      (joined.length === 1 ? out : '[lgon]'),
  );
  if (joined.length > 1) parts.push(`${joined.join('')}concat=n=${joined.length}:v=1:a=0${out}`);
  return parts.join(';');
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
