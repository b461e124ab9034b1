import { NonRetryableError } from '../../errors.ts';
import { textLayerFilter } from './ass.ts';
import { type AudioTrack, buildAudioChain } from './audio-graph.ts';
import {
  DEFAULT_CROSSFADE_S,
  DEFAULT_MUSIC_FADE_OUT_S,
  segmentDurations,
  totalDurationS,
  xfadeOffsets,
} from './compose-graph.ts';

/**
 * Pure builder of the free preview (animatic): each scene's seed image panned across its slot,
 * the same crossfades, text layer and audio chain as the final, encoded small and fast. No I/O.
 */

/** 360x640 @ 24 fps: big enough to judge a storyboard in a chat, cheap enough for ~2 s of encode. */
export const PREVIEW_SIZE = { width: 360, height: 640, fps: 24 } as const;
/** How much larger than the frame each image is drawn, i.e. how far the pan can travel. */
const OVERSCAN = 1.12;

export interface PreviewScene {
  imagePath: string;
  slotS: number;
}

export interface PreviewInput {
  scenes: PreviewScene[];
  /** The music bed: the run's real track when it exists and was free, else a placeholder. */
  musicPath?: string;
  /** Voice-over lines, if the ad has any (placed like the final's). */
  voice?: { path: string; startS: number }[];
  textLayer?: { assPath: string };
  outPath: string;
  size?: { width: number; height: number; fps: number };
  crossfadeS?: number;
}

const num = (x: number): string => String(Math.round(x * 1000) / 1000);
const even = (x: number) => Math.round(x / 2) * 2;

/**
 * A pan whose direction alternates per scene (left-right, then right-left, drifting down/up),
 * so a cut never continues the same move. `crop` evaluates x/y per frame; the image is scaled
 * once and repeated by `loop`, which is much cheaper than decoding it again for every frame.
 */
export function panChain(index: number, segS: number, size: PreviewInput['size'] & object): string {
  const w = even(size.width * OVERSCAN);
  const h = even(size.height * OVERSCAN);
  const frames = Math.ceil(segS * size.fps);
  const p = `(t/${num(segS)})`;
  const forward = index % 2 === 0;
  const x = forward ? `(iw-ow)*${p}` : `(iw-ow)*(1-${p})`;
  const y = forward ? `(ih-oh)*(0.5+0.5*${p})` : `(ih-oh)*(0.5-0.5*${p})`;
  return (
    `[${index}:v:0]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,` +
    `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${size.fps}*TB),` +
    `crop=${size.width}:${size.height}:x='${x}':y='${y}',` +
    `format=yuv420p,trim=duration=${num(segS)},setpts=PTS-STARTPTS,settb=AVTB`
  );
}

export function buildPreviewGraph(input: PreviewInput): string {
  const size = input.size ?? PREVIEW_SIZE;
  const cf = input.crossfadeS ?? DEFAULT_CROSSFADE_S;
  const clips = input.scenes.map((s) => ({ path: s.imagePath, slotS: s.slotS }));
  const n = clips.length;
  if (n === 0) throw new NonRetryableError('preview_invalid_input', 'a preview needs at least one scene');
  if (n > 1 && clips.some((c) => c.slotS <= cf))
    throw new NonRetryableError(
      'preview_invalid_input',
      `every scene must be longer than the ${cf}s crossfade`,
    );
  const segs = n > 1 ? segmentDurations(clips, cf) : [clips[0]!.slotS];
  const vclips = input.textLayer ? '[vclips]' : '[vout]';
  const parts = segs.map((seg, i) => `${panChain(i, seg, size)}${n === 1 ? vclips : `[v${i}]`}`);
  xfadeOffsets(segs, cf).forEach((offset, k) => {
    const left = k === 0 ? '[v0]' : `[x${k}]`;
    const out = k === n - 2 ? vclips : `[x${k + 1}]`;
    parts.push(`${left}[v${k + 1}]xfade=transition=fade:duration=${num(cf)}:offset=${num(offset)}${out}`);
  });
  if (input.textLayer) parts.push(`[vclips]${textLayerFilter(input.textLayer.assPath)}[vout]`);
  const tracks: AudioTrack[] = [];
  if (input.musicPath) tracks.push({ input: n, role: 'music' });
  const firstVoice = n + tracks.length;
  for (const [k, v] of (input.voice ?? []).entries())
    tracks.push({ input: firstVoice + k, role: 'voice', startS: v.startS });
  const silenceInput = n + tracks.length;
  parts.push(
    buildAudioChain({
      tracks,
      totalS: totalDurationS(clips),
      fadeOutS: DEFAULT_MUSIC_FADE_OUT_S,
      silenceInput: tracks.length === 0 ? silenceInput : undefined,
    }),
  );
  return parts.join(';');
}

/** The ffmpeg argument array for the preview (one input per image, then music, voice, silence). */
export function buildPreviewArgs(input: PreviewInput): string[] {
  const size = input.size ?? PREVIEW_SIZE;
  const graph = buildPreviewGraph(input);
  const total = num(input.scenes.reduce((s, c) => s + c.slotS, 0));
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning'];
  // Same per-input whitelist as compose: a crafted image must not make ffmpeg open URLs.
  for (const s of input.scenes) args.push('-protocol_whitelist', 'file', '-i', s.imagePath);
  const audio = [...(input.musicPath ? [input.musicPath] : []), ...(input.voice ?? []).map((v) => v.path)];
  for (const a of audio) args.push('-protocol_whitelist', 'file', '-i', a);
  if (audio.length === 0) args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
  args.push('-filter_complex', graph, '-map', '[vout]', '-map', '[aout]');
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-crf', '30');
  args.push('-pix_fmt', 'yuv420p', '-r', String(size.fps));
  args.push('-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2');
  args.push('-movflags', '+faststart', '-t', total, '-f', 'mp4', input.outPath);
  return args;
}
