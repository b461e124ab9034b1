import {
  type ComposeInput,
  DEFAULT_CROSSFADE_S,
  logoInputIndex,
  segmentDurations,
  xfadeOffsets,
} from '../../src/pipeline/media/compose-graph.ts';

/**
 * Compose's graph as it was before a change, rewritten from today's graph: compose-profile.ts
 * times each against today's (interleaved) to show what the change bought.
 */

/**
 * The crossfades as they were: one xfade chain over whole clips (compose-clips.ts now fades only
 * the overlapping pieces), so every frame went through 4:4:4.
 */
export function xfadeChain(graph: string, input: ComposeInput): string {
  const parts = graph.split(';');
  const concatAt = parts.findIndex((p) => /^\[bp0\].*concat=/.test(p));
  if (concatAt < 0) throw new Error('no crossfade concat in the graph');
  const out = /\[[a-z]+\]$/.exec(parts[concatAt]!)![0];
  const cf = input.crossfadeS ?? DEFAULT_CROSSFADE_S;
  const offsets = xfadeOffsets(segmentDurations(input.clips, cf), cf);
  const chain = offsets.map((offset, k) => {
    const left = k === 0 ? '[v0]' : `[x${k}]`;
    const to = k === offsets.length - 1 ? out : `[x${k + 1}]`;
    return `${left}[v${k + 1}]xfade=transition=fade:duration=${cf}:offset=${Math.round(offset * 1000) / 1000}${to}`;
  });
  const clipChains = parts.slice(0, concatAt).filter((p) => /^\[\d+:v:0\]/.test(p));
  const rest = parts.slice(concatAt + 1);
  return [...clipChains, ...chain, ...rest].join(';');
}
/** The logo as it was: an overlay over the whole ad, switched on by `enable=` for the end card. */
export function logoOverEverything(graph: string, input: ComposeInput): string {
  const logo = input.logo!;
  const parts = graph.split(';');
  const first = parts.findIndex((p) => p.includes('[lgs') || p.includes('[lgcard]'));
  const from = /^\[\w+\]/.exec(parts[first]!)![0];
  const out = /\[\w+\]$/.exec(parts.find((p) => p.includes('concat') && p.includes('[lgon]'))!)![0];
  const kept = parts.filter((p) => !/\[lg\w+\]|\[logo\]/.test(p));
  const { x, y, w, h } = logo.box;
  const input_ = logoInputIndex(input);
  return [
    ...kept,
    `[${input_}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,format=rgba,` +
      `loop=loop=-1:size=1,fps=${input.profile.fps},fade=t=in:st=${logo.startS}:d=0.25:alpha=1[logo]`,
    `${from}[logo]overlay=x=${x}+(${w}-overlay_w)/2:y=${y}+(${h}-overlay_h)/2:` +
      `enable='between(t,${logo.startS},${logo.endS})':shortest=1${out}`,
  ].join(';');
}
