import { clipFrame } from './formats.ts';
import type { Profile } from './profiles.ts';

/** The background of a blur-pad is made at this fraction of the frame: blurring 1/64 of the pixels. */
const BG_SCALE = 1 / 8;

const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);

/**
 * Filtergraph text (pure) that turns the crossfaded 9:16 chain `[input]` into the full 16:9
 * frame `[output]`: the picture at full height in the middle over a blurred, darkened copy.
 * It runs once on the finished chain (not per clip) and blurs a 1/8-size copy, then scales it
 * up: boxblur at full size would cost more than the rest of the graph. Darker and less saturated
 * so the sharp picture and the text stand out from it.
 */
export function blurPadGraph(input: string, output: string, p: Profile): string {
  const fg = clipFrame(p, 'blur-pad');
  const bw = even(p.width * BG_SCALE);
  const bh = even(p.height * BG_SCALE);
  const radius = Math.max(2, Math.round(bh / 16));
  return (
    `${input}split=2[bgsrc][fgsrc];` +
    `[bgsrc]scale=${bw}:${bh}:force_original_aspect_ratio=increase,crop=${bw}:${bh},` +
    `boxblur=${radius}:2,eq=brightness=-0.12:saturation=0.8,scale=${p.width}:${p.height},setsar=1[bg];` +
    `[bg][fgsrc]overlay=x=${(p.width - fg.width) / 2}:y=0:format=yuv420,format=yuv420p${output}`
  );
}
