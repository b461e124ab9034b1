import { type ComposeClip, type ComposeInput, DEFAULT_CROSSFADE_S } from './compose-input.ts';
import { clipFrame } from './formats.ts';
import type { Profile } from './profiles.ts';

/** The clips' part of compose's graph (pure): each clip normalised, then crossfaded into one chain. */

/** Millisecond precision keeps float noise (4.499999…) out of the filtergraph text. */
const num = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * Crossfades overlap neighbours, so every segment but the last is stretched by the crossfade;
 * then the chain's length is exactly the sum of the slots.
 */
export function segmentDurations(clips: readonly Pick<ComposeClip, 'slotS'>[], crossfadeS: number): number[] {
  return clips.map((c, k) => (k < clips.length - 1 ? c.slotS + crossfadeS : c.slotS));
}

/** offset_k = sum(seg_0..seg_k) - (k+1)*cf: where the k-th transition starts in the output. */
export function xfadeOffsets(segments: readonly number[], crossfadeS: number): number[] {
  const offsets: number[] = [];
  let sum = 0;
  for (let k = 0; k < segments.length - 1; k++) {
    sum += segments[k]!;
    offsets.push(sum - (k + 1) * crossfadeS);
  }
  return offsets;
}

/** Same size, fps, SAR, pixel format and timebase on every input, or xfade refuses/misbehaves. */
function normaliseChain(index: number, segS: number, p: Profile, frame = clipFrame(p, 'crop')): string {
  const len = num(segS);
  const { width: w, height: h } = frame;
  // Crop to the frame's aspect first, then scale only what is kept: the same picture as
  // scaling up and cropping, but a landscape clip in a 9:16 frame is scaled to 1080x1920, not
  // to 3414x1920 of which two thirds are thrown away (measured: see bench:compose's profile).
  const cropW = `trunc(min(iw,ih*${w}/${h})/2)*2`;
  const cropH = `trunc(min(ih,iw*${h}/${w})/2)*2`;
  return (
    `[${index}:v:0]crop=w='${cropW}':h='${cropH}',scale=${w}:${h},` +
    `setsar=1,fps=${p.fps},format=yuv420p,` +
    // A clip shorter than its xfade offset is silently dropped (exit 0): force exact lengths.
    `tpad=stop_mode=clone:stop_duration=${len},trim=duration=${len},setpts=PTS-STARTPTS,settb=AVTB`
  );
}

/** One piece of a clip, on the clip's own timeline: its first cf, its middle, its last cf. */
const piece = (from: string, startS: number, endS: number, to: string) =>
  `${from}trim=start=${num(startS)}:end=${num(endS)},setpts=PTS-STARTPTS${to}`;

/**
 * Clip inputs are 0..n-1; the chain ends in `vout`. A crossfade is an xfade of only the two
 * half-second pieces that overlap, and the rest of each clip goes around it, all joined by
 * concat. Not one xfade chain over whole clips: ffmpeg 5.1's xfade takes no 4:2:0 input, so
 * every frame of the ad was converted to 4:4:4 for it and back to 4:2:0 for the encoder (two
 * full-frame conversions of all 900 frames, measured ~6 CPU-s of a final compose, see
 * test/bench/compose-split.ts), while only the crossfades' 90 frames need it. The fades are the
 * same: the same frames, the same weights (xfade's progress counts from the piece's first frame).
 */
export function buildClipChain(input: ComposeInput, vout: string): string {
  const cf = input.crossfadeS ?? DEFAULT_CROSSFADE_S;
  const n = input.clips.length;
  const frame = clipFrame(input.profile, input.reframe ?? 'crop');
  if (n === 1) return `${normaliseChain(0, input.clips[0]!.slotS, input.profile, frame)}${vout}`;
  // Without a crossfade the segments simply follow each other.
  const segs = cf > 0 ? segmentDurations(input.clips, cf) : input.clips.map((c) => c.slotS);
  const parts = segs.map((seg, i) => `${normaliseChain(i, seg, input.profile, frame)}[v${i}]`);
  if (cf === 0) {
    parts.push(`${segs.map((_, i) => `[v${i}]`).join('')}concat=n=${n}:v=1:a=0${vout}`);
    return parts.join(';');
  }
  return [...parts, crossfadeJoin(segs, cf, vout)].join(';');
}

/**
 * Joins segments `[v0]..[v{n-1}]` (4:2:0, one timebase) into `vout`, each neighbour crossfading
 * over `cf` seconds: only the two overlapping pieces go through xfade, the rest around it, all
 * joined by concat (why: buildClipChain). Also the free preview's join (preview-graph.ts).
 */
export function crossfadeJoin(segs: readonly number[], cf: number, vout: string): string {
  const n = segs.length;
  const parts: string[] = [];
  const joined: string[] = [];
  segs.forEach((seg, k) => {
    const first = k === 0;
    const last = k === n - 1;
    const outs = [first ? '' : `[h${k}]`, `[b${k}]`, last ? '' : `[t${k}]`].filter(Boolean);
    parts.push(`[v${k}]split=${outs.length}${outs.join('')}`);
    if (!first) parts.push(piece(`[h${k}]`, 0, cf, `[hp${k}]`));
    parts.push(piece(`[b${k}]`, first ? 0 : cf, last ? seg : seg - cf, `[bp${k}]`));
    if (!last) parts.push(piece(`[t${k}]`, seg - cf, seg, `[tp${k}]`));
    if (!first) {
      // 4:4:4 in (ffmpeg converts the two pieces), 4:2:0 out, like every other frame of the chain.
      const fade = `xfade=transition=fade:duration=${num(cf)}:offset=0,format=yuv420p`;
      parts.push(`[tp${k - 1}][hp${k}]${fade}[x${k}]`);
      joined.push(`[x${k}]`);
    }
    joined.push(`[bp${k}]`);
  });
  parts.push(`${joined.join('')}concat=n=${joined.length}:v=1:a=0${vout}`);
  return parts.join(';');
}
