import { NonRetryableError } from '../../errors.ts';
import { textLayerFilter } from './ass.ts';
import { type AudioMix, type AudioTrack, buildAudioChain } from './audio-graph.ts';
import { buildClipChain, segmentDurations } from './compose-clips.ts';
import {
  type ComposeClip,
  type ComposeInput,
  DEFAULT_CROSSFADE_S,
  DEFAULT_MUSIC_FADE_OUT_S,
  totalDurationS,
  validateComposeInput,
} from './compose-input.ts';
import { logoOverlayChain } from './logo-overlay.ts';
import type { ProfileName } from './profiles.ts';
import { blurPadGraph } from './reframe.ts';

/** Pure builders for the one-pass compose (no I/O): tests check them without running ffmpeg. */

// The input and its checks live in compose-input.ts, the clips' chain in compose-clips.ts;
// importers of the builders keep one module.
export { segmentDurations, xfadeOffsets } from './compose-clips.ts';
export {
  type ComposeClip,
  type ComposeInput,
  type ComposeVoice,
  DEFAULT_CROSSFADE_S,
  DEFAULT_MUSIC_FADE_OUT_S,
  totalDurationS,
  validateComposeInput,
} from './compose-input.ts';

/** One-pass ABR lands within a few percent; 3% margin stayed under target (PLATFORM-NOTES). */
const SIZE_MARGIN = 0.97;
/** MP4 boxes (sample tables, moov) for a 30 s ad: measured ~10-16 KB; kept out of the budget. */
const CONTAINER_BYTES = 16 * 1024;
/** Below these video bitrates the result is a smear; better to fail and suggest `draft`. */
export const MIN_VIDEO_KBPS: Record<ProfileName, number> = { final: 150, draft: 100, tiny: 20 };
/** Millisecond precision keeps float noise (4.499999…) out of the filtergraph text. */
const num = (x: number): string => String(Math.round(x * 1000) / 1000);

export function videoBitrateKbps(maxBytes: number, totalS: number, audioKbps: number): number {
  return Math.floor(((maxBytes - CONTAINER_BYTES) * 8 * SIZE_MARGIN) / totalS / 1000) - audioKbps;
}

/** Clip inputs are 0..n-1; the chain ends in [vout], through the text layer when there is one. */
export function buildVideoGraph(input: ComposeInput): string {
  const pad = input.reframe === 'blur-pad';
  const text = input.textLayer;
  const logo = input.logo;
  // Reframe first, then the words once on the final-size frame, then the logo over the text
  // layer (its slot sits on the end card's panel). Each stage names its output; the last is [vout].
  const stages: { out: string; graph: (from: string, to: string) => string }[] = [];
  if (pad) stages.push({ out: '[vclips]', graph: (from, to) => blurPadGraph(from, to, input.profile) });
  if (text)
    stages.push({ out: '[vtext]', graph: (from, to) => `${from}${textLayerFilter(text.assPath)}${to}` });
  if (logo)
    stages.push({
      out: '[vlogo]',
      graph: (from, to) =>
        logoOverlayChain(
          from,
          logoInputIndex(input),
          logo,
          input.profile.fps,
          to,
          totalDurationS(input.clips),
        ),
    });
  const first = stages.length === 0 ? '[vout]' : pad ? '[vchain]' : '[vclips]';
  const parts = [buildClipChain(input, first)];
  let from = first;
  for (const [i, stage] of stages.entries()) {
    const to = i === stages.length - 1 ? '[vout]' : stage.out;
    parts.push(stage.graph(from, to));
    from = to;
  }
  return parts.join(';');
}

/** Inputs: clips 0..n-1, the music (or silence) at n, the voice lines, then the logo. */
export const logoInputIndex = (input: ComposeInput) => input.clips.length + 1 + (input.voices?.length ?? 0);

/**
 * What the audio side of a compose depends on: the sources and the timeline's slots, not the
 * clips themselves, so the audio can be measured as soon as music and voice exist.
 */
export type AudioPlan = Pick<
  ComposeInput,
  'musicPath' | 'musicLoudness' | 'voices' | 'musicFadeOutS' | 'audioMakeupDb'
> & { clips: readonly Pick<ComposeClip, 'slotS'>[] };

/** The audio side of a compose, with the music (or generated silence) at input `audioIndex`. */
export function audioMixOf(input: AudioPlan, audioIndex: number): AudioMix {
  const silent = input.musicPath === undefined;
  const voices = (input.voices ?? []).map(
    (v, k): AudioTrack => ({
      input: audioIndex + 1 + k,
      role: 'voice',
      loudness: v.loudness,
      startS: v.startS,
      tempo: v.tempo,
      playS: v.playS,
    }),
  );
  return {
    tracks: [
      ...(silent ? [] : [{ input: audioIndex, role: 'music' as const, loudness: input.musicLoudness }]),
      ...voices,
    ],
    totalS: totalDurationS(input.clips),
    fadeOutS: input.musicFadeOutS ?? DEFAULT_MUSIC_FADE_OUT_S,
    silenceInput: silent && voices.length === 0 ? audioIndex : undefined,
    makeupDb: input.audioMakeupDb,
  };
}

/** Music (or generated silence) at `audioIndex`, ending in [aout]; always exactly the total. */
export function buildAudioGraph(input: ComposeInput, audioIndex: number): string {
  return buildAudioChain(audioMixOf(input, audioIndex));
}

export function buildFilterGraph(input: ComposeInput): string {
  validateComposeInput(input);
  return `${buildVideoGraph(input)};${buildAudioGraph(input, input.clips.length)}`;
}

/** Size target in the same pass (ABR capped by maxrate), else constant quality. */
export function rateControlArgs(input: ComposeInput): string[] {
  const { profile, maxBytes } = input;
  if (maxBytes === undefined) return ['-crf', String(profile.crf)];
  const total = totalDurationS(input.clips);
  const kbps = Math.floor(videoBitrateKbps(maxBytes, total, profile.audioKbps) * (input.bitrateScale ?? 1));
  const floor = MIN_VIDEO_KBPS[profile.name];
  if (kbps < floor) {
    throw new NonRetryableError(
      'size_target_unreachable',
      `a ${total}s video cannot fit in ${maxBytes} bytes at the ${profile.name} profile: that leaves ` +
        `${kbps} kbps for video (minimum ${floor}). ` +
        (profile.name === 'final'
          ? 'Use the draft profile or a larger upload limit.'
          : 'Use a larger upload limit.'),
    );
  }
  return ['-b:v', `${kbps}k`, '-maxrate', `${kbps}k`, '-bufsize', `${kbps * 2}k`];
}

export function buildComposeArgs(input: ComposeInput): string[] {
  const graph = buildFilterGraph(input);
  const { profile } = input;
  const total = num(totalDurationS(input.clips));
  const segs = segmentDurations(input.clips, input.crossfadeS ?? DEFAULT_CROSSFADE_S);
  // The whitelist is per input in ffmpeg 5.1, so it is repeated before every -i: crafted media
  // must not make ffmpeg open URLs. lavfi opens no protocol, so `file` also covers anullsrc.
  // `warning` keeps the stderr tail (quoted in errors) to problems, not stream listings.
  const args = ['-hide_banner', '-nostdin', '-y', '-loglevel', 'warning'];
  input.clips.forEach((c, i) => {
    // -t on the input stops decoding what the timeline never shows.
    args.push('-protocol_whitelist', 'file', '-t', num(segs[i]!), '-i', c.path);
  });
  if (input.musicPath !== undefined) args.push('-protocol_whitelist', 'file', '-i', input.musicPath);
  else args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
  // Voice lines follow the music (or its silence) as inputs: audioMixOf numbers them so.
  for (const v of input.voices ?? []) args.push('-protocol_whitelist', 'file', '-i', v.path);
  if (input.logo) args.push('-protocol_whitelist', 'file', '-i', input.logo.path);
  args.push('-filter_complex', graph, '-map', '[vout]', '-map', '[aout]');
  args.push('-c:v', 'libx264', '-preset', input.preset ?? profile.preset, '-profile:v', 'high');
  args.push('-pix_fmt', 'yuv420p', '-r', String(profile.fps), ...rateControlArgs(input));
  args.push('-c:a', 'aac', '-b:a', `${profile.audioKbps}k`, '-ar', '48000', '-ac', '2');
  args.push('-movflags', '+faststart', '-t', total, '-progress', 'pipe:1', '-nostats');
  // Explicit muxer: compose writes to `<out>.part`, whose extension ffmpeg cannot guess from.
  args.push('-f', 'mp4', input.outPath);
  return args;
}
