import { NonRetryableError } from '../../errors.ts';
import type { Reframe } from './formats.ts';
import type { LogoOverlay } from './logo-overlay.ts';
import type { Loudness } from './loudness.ts';
import type { Profile } from './profiles.ts';

/** What one compose is given, and the checks it passes before any ffmpeg runs. */

export interface ComposeClip {
  path: string;
  /** The scene's share of the timeline; the slots sum to the ad length. */
  slotS: number;
}

export interface ComposeInput {
  clips: ComposeClip[];
  musicPath?: string;
  /**
   * The music as measured by compose() before the pass (loudness.ts): sets its gain to the
   * loudness target and, for a track shorter than the ad, the loop. Without it the music keeps
   * its level and is padded.
   */
  musicLoudness?: Loudness;
  /** Correction found by measuring the audio chain itself before the pass (audio-calibrate.ts). */
  audioMakeupDb?: number;
  profile: Profile;
  crossfadeS?: number;
  musicFadeOutS?: number;
  /** Upload limit of the target platform; the encode is sized to fit it in the same pass. */
  maxBytes?: number;
  /**
   * Scales the size-targeted video bitrate (default 1). compose() lowers it for its one retry
   * when x264's average bitrate overshot the target.
   */
  bitrateScale?: number;
  outPath: string;
  preset?: string;
  /** Words on screen: an ASS document (text-layer.ts + ass.ts, written by the caller). */
  textLayer?: { assPath: string };
  /** The brand logo, drawn over the end card in this same pass (logo-overlay.ts). */
  logo?: LogoOverlay;
  /** Voice-over lines, placed and fitted to their scenes (voice/fit.ts); inputs after the music. */
  voices?: ComposeVoice[];
  /** How the 9:16 clips fill the profile's frame (formats.ts); `crop` when not given. */
  reframe?: Reframe;
}

export interface ComposeVoice {
  path: string;
  /** Where the line starts on the ad's timeline. */
  startS: number;
  /** atempo factor (0.9-1.15). */
  tempo: number;
  /** Seconds the line may play; a longer one is cut there with a fade. */
  playS: number;
  /** Measured by compose() before the pass when missing. */
  loudness?: Loudness;
}

export const DEFAULT_CROSSFADE_S = 0.5;
export const DEFAULT_MUSIC_FADE_OUT_S = 2;

const X264_PRESETS = new Set(
  'ultrafast superfast veryfast faster fast medium slow slower veryslow'.split(' '),
);

function invalid(message: string): never {
  throw new NonRetryableError('compose_invalid_input', message);
}

export function totalDurationS(clips: readonly Pick<ComposeClip, 'slotS'>[]): number {
  return Math.round(clips.reduce((s, c) => s + c.slotS, 0) * 1000) / 1000;
}

export function validateComposeInput(input: ComposeInput): void {
  const cf = input.crossfadeS ?? DEFAULT_CROSSFADE_S;
  const fade = input.musicFadeOutS ?? DEFAULT_MUSIC_FADE_OUT_S;
  const { clips, profile } = input;
  if (!Array.isArray(clips) || clips.length === 0) invalid('compose needs at least one clip');
  if (!Number.isFinite(cf) || cf < 0) invalid(`crossfadeS must be >= 0 (got ${cf})`);
  clips.forEach((c, i) => {
    if (typeof c.path !== 'string' || c.path === '' || c.path.includes('\0'))
      invalid(`clip ${i} has no path`);
    if (!Number.isFinite(c.slotS) || c.slotS <= 0) invalid(`clip ${i} slotS must be > 0 (got ${c.slotS})`);
    if (clips.length > 1 && c.slotS <= cf) {
      invalid(`clip ${i} slotS (${c.slotS}s) must be longer than the ${cf}s crossfade`);
    }
  });
  const total = totalDurationS(clips);
  if (total < 1) invalid(`total duration must be >= 1 s (got ${total})`);
  if (!Number.isFinite(fade) || fade < 0 || fade > total) {
    invalid(`musicFadeOutS must be between 0 and the ${total}s total (got ${fade})`);
  }
  if (input.musicPath !== undefined && (input.musicPath === '' || input.musicPath.includes('\0'))) {
    invalid('musicPath is empty');
  }
  if (!input.outPath) invalid('outPath is empty');
  const ass = input.textLayer?.assPath;
  if (input.textLayer && (typeof ass !== 'string' || ass === '' || ass.includes('\0'))) {
    invalid('textLayer.assPath is empty');
  }
  const logo = input.logo;
  if (logo && (!logo.path || logo.path.includes('\0') || !(logo.box.w > 0 && logo.box.h > 0))) {
    invalid('logo needs a path and a non-empty slot');
  }
  if (!(profile.width > 0 && profile.height > 0 && profile.fps > 0)) invalid(`bad profile ${profile.name}`);
  (input.voices ?? []).forEach((v, i) => {
    if (typeof v.path !== 'string' || v.path === '' || v.path.includes('\0'))
      invalid(`voice ${i} has no path`);
    if (!(v.tempo >= 0.5 && v.tempo <= 2)) invalid(`voice ${i} tempo must be within 0.5-2 (got ${v.tempo})`);
    if (!(v.startS >= 0 && v.playS > 0 && v.startS + v.playS <= total + 0.001))
      invalid(`voice ${i} must play inside the ${total}s timeline`);
  });
  const preset = input.preset ?? profile.preset;
  if (!X264_PRESETS.has(preset)) invalid(`unknown x264 preset "${preset}"`);
  if (input.maxBytes !== undefined && !(Number.isFinite(input.maxBytes) && input.maxBytes > 0)) {
    invalid(`maxBytes must be a positive number (got ${input.maxBytes})`);
  }
}
