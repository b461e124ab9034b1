import { NonRetryableError } from '../../errors.ts';
import { textLayerFilter } from './ass.ts';
import { crossfadeJoin } from './compose-clips.ts';
import {
  DEFAULT_CROSSFADE_S,
  DEFAULT_MUSIC_FADE_OUT_S,
  segmentDurations,
  totalDurationS,
} from './compose-graph.ts';

/**
 * Pure builders of the free preview (animatic), no I/O: each scene's seed image panned across its
 * slot with the final's crossfades and text layer, encoded small and fast. Two passes, so the
 * video encode runs while the music is still being made: the pictures (no audio), then a mux
 * that copies them and adds the audio.
 */

/** 360x640 @ 24 fps: big enough to judge a storyboard in a chat, cheap enough for ~2 s of encode. */
export const PREVIEW_SIZE = { width: 360, height: 640, fps: 24 } as const;
/** How much larger than the frame each image is drawn, i.e. how far the pan can travel. */
const OVERSCAN = 1.12;

export interface PreviewScene {
  imagePath: string;
  slotS: number;
}

export interface PreviewVideoInput {
  scenes: PreviewScene[];
  textLayer?: { assPath: string };
  outPath: string;
  size?: { width: number; height: number; fps: number };
  crossfadeS?: number;
}

export interface PreviewMuxInput {
  videoPath: string;
  totalS: number;
  /** The music bed: the run's real track when it exists and was free, else a placeholder. */
  musicPath?: string;
  /** Voice-over lines, if the ad has any (placed like the final's). */
  voice?: { path: string; startS: number }[];
  outPath: string;
}

const num = (x: number): string => String(Math.round(x * 1000) / 1000);
const even = (x: number) => Math.round(x / 2) * 2;

/**
 * A pan whose direction alternates per scene (left-right, then right-left, drifting down/up),
 * so a cut never continues the same move. `crop` evaluates x/y per frame; the image is scaled
 * once and repeated by `loop`, which is much cheaper than decoding it again for every frame.
 */
export function panChain(
  index: number,
  segS: number,
  size: { width: number; height: number; fps: number },
): string {
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

export function buildPreviewVideoGraph(input: PreviewVideoInput): string {
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
  // The final's join: a whole-clip xfade chain cost 1.0 CPU-s of the 30 s pass, this 0.45.
  if (n > 1) parts.push(crossfadeJoin(segs, cf, vclips));
  if (input.textLayer) parts.push(`[vclips]${textLayerFilter(input.textLayer.assPath)}[vout]`);
  return parts.join(';');
}

/** Pass 1: the pictures only (one input per image). */
export function buildPreviewVideoArgs(input: PreviewVideoInput): string[] {
  const size = input.size ?? PREVIEW_SIZE;
  const graph = buildPreviewVideoGraph(input);
  const total = num(totalDurationS(input.scenes.map((s) => ({ path: s.imagePath, slotS: s.slotS }))));
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning'];
  // Same per-input whitelist as compose: a crafted image must not make ffmpeg open URLs.
  for (const s of input.scenes) args.push('-protocol_whitelist', 'file', '-i', s.imagePath);
  args.push('-filter_complex', graph, '-map', '[vout]', '-an');
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'stillimage', '-crf', '30');
  args.push('-pix_fmt', 'yuv420p', '-r', String(size.fps), '-t', total, '-f', 'mp4', input.outPath);
  return args;
}

/**
 * The preview's audio, lighter than the final's (audio-graph.ts): no loudness measurement and no
 * oversampled true-peak limiter, which cost more than the whole pass here. Each track is cut or
 * padded to the ad's length; the music fades in and out and sits lower under a voice-over.
 */
export function buildPreviewAudioGraph(input: Omit<PreviewMuxInput, 'videoPath' | 'outPath'>): string {
  const total = num(input.totalS);
  const fit = `aformat=sample_rates=48000:channel_layouts=stereo,atrim=0:${total},apad=whole_dur=${total},atrim=0:${total}`;
  const voice = input.voice ?? [];
  const labels: string[] = [];
  const parts: string[] = [];
  let index = 1;
  if (input.musicPath) {
    const fadeAt = num(Math.max(0, input.totalS - DEFAULT_MUSIC_FADE_OUT_S));
    const under = voice.length ? ',volume=-8dB' : '';
    parts.push(
      `[${index++}:a:0]${fit},afade=t=in:d=0.3,afade=t=out:st=${fadeAt}:d=${DEFAULT_MUSIC_FADE_OUT_S}${under}[pm]`,
    );
    labels.push('[pm]');
  }
  for (const [k, v] of voice.entries()) {
    parts.push(`[${index++}:a:0]adelay=delays=${Math.round(v.startS * 1000)}:all=1,${fit}[pv${k}]`);
    labels.push(`[pv${k}]`);
  }
  if (labels.length === 0) return `[${index}:a:0]atrim=0:${total}[aout]`;
  if (labels.length === 1) return `${parts[0]!.slice(0, -labels[0]!.length)}[aout]`;
  parts.push(
    `${labels.join('')}amix=inputs=${labels.length}:normalize=0:duration=longest,atrim=0:${total}[aout]`,
  );
  return parts.join(';');
}

/** Pass 2: the pictures copied, the audio added (input 0 the video, then music, voice, silence). */
export function buildPreviewMuxArgs(input: PreviewMuxInput): string[] {
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning'];
  args.push('-protocol_whitelist', 'file', '-i', input.videoPath);
  const audio = [...(input.musicPath ? [input.musicPath] : []), ...(input.voice ?? []).map((v) => v.path)];
  for (const a of audio) args.push('-protocol_whitelist', 'file', '-i', a);
  if (audio.length === 0) args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
  args.push('-filter_complex', buildPreviewAudioGraph(input), '-map', '0:v:0', '-map', '[aout]');
  args.push('-c:v', 'copy', '-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2');
  args.push('-movflags', '+faststart', '-t', num(input.totalS), '-f', 'mp4', input.outPath);
  return args;
}
