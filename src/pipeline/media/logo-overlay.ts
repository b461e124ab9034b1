import type { Rect } from './safe-zones.ts';

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
