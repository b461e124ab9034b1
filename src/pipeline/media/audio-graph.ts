import {
  dbToLinear,
  isMeasurable,
  LOUDNESS_TARGET,
  type Loudness,
  MIX_FORMAT,
  mixGainsDb,
} from './loudness.ts';
import { duckFilter, voiceFit, voiceWindows } from './voice-mix.ts';

/**
 * Pure builder of the compose pass's audio chain (no I/O): every track is brought to its share
 * of the loudness target with a fixed gain (measured beforehand), mixed, then held under the
 * true-peak ceiling. Labels start with `au` so they never meet the video chain's.
 */

export type AudioRole = 'music' | 'voice';

export interface AudioTrack {
  /** ffmpeg input index of the track's file. */
  input: number;
  role: AudioRole;
  /** From measureLoudness(); without it the track keeps its level and music is padded, not looped. */
  loudness?: Loudness;
  /** Where the track starts on the ad's timeline (a voice line); music starts at 0. */
  startS?: number;
  /** A voice line's tempo factor (atempo, voice/fit.ts); 1 when it fits as spoken. */
  tempo?: number;
  /**
   * Seconds of the ad a voice line may play (after its tempo); a longer line is cut there with
   * a short fade, so it never runs into the next scene's line.
   */
  playS?: number;
}

export interface AudioMix {
  tracks: AudioTrack[];
  totalS: number;
  /** Music fade-out at the end of the ad. */
  fadeOutS: number;
  /** Input index of generated silence, used when there is no track at all. */
  silenceInput?: number;
  /**
   * Extra gain on every track, found by running this very chain once and measuring it
   * (audio-calibrate.ts): what the limiter takes back from punchy material.
   */
  makeupDb?: number;
}

/** Short enough to sound like one take, long enough that the seam is not a click. */
export const LOOP_CROSSFADE_S = 0.5;
/** Below this a "loop" would be a buzz of repeats: such a track is padded instead. */
const MIN_LOOP_S = 1;
const MUSIC_FADE_IN_S = 0.3;
/** alimiter's lookahead; `latency=1` removes the delay it would add, so the mix stays in sync. */
const LIMITER = 'attack=5:release=50:level=0:latency=1';
/** 4x oversampling turns alimiter's sample-peak limit into a true-peak limit (as ebur128 measures). */
const OVERSAMPLED_HZ = 192_000;

/**
 * Timestamps from the sample count. amix and adelay emit frames without timestamps once their
 * first input ends, and afade then silences everything after it (measured: a looped 12 s track
 * went silent at 12 s).
 */
const RETIME = 'asetpts=N/SR/TB';

const num = (x: number): string => String(Math.round(x * 1000) / 1000);

/**
 * Start times of the copies of a short track so that neighbours overlap by the crossfade and
 * together cover the ad: n copies cover n*(d - cf) + cf seconds.
 */
export function loopStarts(durationS: number, totalS: number, crossfadeS = LOOP_CROSSFADE_S): number[] {
  // A track a few frames short (29.98 s of a 30 s ad) ends inside the fade-out: padding is inaudible.
  if (!(durationS >= MIN_LOOP_S) || totalS - durationS <= crossfadeS) return [0];
  const step = durationS - crossfadeS;
  const copies = Math.ceil((totalS - crossfadeS) / step);
  return Array.from({ length: copies }, (_, k) => Math.round(k * step * 1000) / 1000);
}

/**
 * Overlap-add of copies with equal-power (qsin) fades at each seam. Not `acrossfade` on asplit
 * copies: ffmpeg 5.1 gives only the first copy (measured: a 12 s track came out 10 s long).
 */
function loopChain(src: string, label: string, track: AudioTrack & { loudness: Loudness }, totalS: number) {
  const starts = loopStarts(track.loudness.durationS, totalS);
  const n = starts.length;
  const cf = num(LOOP_CROSSFADE_S);
  const outAt = num(track.loudness.durationS - LOOP_CROSSFADE_S);
  const copies = starts.map((_, k) => `[${label}c${k}]`);
  const parts = [`${src}${MIX_FORMAT},asplit=${n}${copies.join('')}`];
  starts.forEach((start, k) => {
    const fades: string[] = [];
    if (k > 0) fades.push(`afade=t=in:d=${cf}:curve=qsin`);
    if (k < n - 1) fades.push(`afade=t=out:st=${outAt}:d=${cf}:curve=qsin`);
    if (k > 0) fades.push(`adelay=delays=${Math.round(start * 1000)}:all=1`);
    parts.push(`${copies[k]}${fades.join(',')}[${label}l${k}]`);
  });
  const looped = starts.map((_, k) => `[${label}l${k}]`).join('');
  parts.push(`${looped}amix=inputs=${n}:normalize=0:duration=longest[${label}loop]`);
  return { parts, head: `[${label}loop]` };
}

function trackChain(track: AudioTrack, label: string, gainDb: number, mix: AudioMix): string {
  const src = `[${track.input}:a:0]`;
  const total = num(mix.totalS);
  const loops =
    track.role === 'music' &&
    track.loudness !== undefined &&
    loopStarts(track.loudness.durationS, mix.totalS).length > 1;
  const { parts, head } = loops
    ? loopChain(src, label, track as AudioTrack & { loudness: Loudness }, mix.totalS)
    : { parts: [] as string[], head: `${src}${MIX_FORMAT},` };
  const filters: string[] = [];
  if (track.role === 'voice') filters.push(...voiceFit(track));
  if ((track.startS ?? 0) > 0) filters.push(`adelay=delays=${Math.round(track.startS! * 1000)}:all=1`);
  // Trim, then pad: whatever the source length, the track is exactly the ad long.
  filters.push(RETIME, `atrim=0:${total}`, `apad=whole_dur=${total}`, `atrim=0:${total}`);
  if (track.role === 'music') {
    filters.push(`afade=t=in:d=${MUSIC_FADE_IN_S}`);
    if (mix.fadeOutS > 0)
      filters.push(`afade=t=out:st=${num(mix.totalS - mix.fadeOutS)}:d=${num(mix.fadeOutS)}`);
    const duck = duckFilter(voiceWindows(mix.tracks));
    if (duck) filters.push(duck);
  }
  filters.push(`volume=${num(gainDb)}dB`);
  return [...parts, `${head}${filters.join(',')}[${label}]`].join(';');
}

/** Level of each role relative to the mix: with a voice-over, the music is a bed under it. */
export function trackLevelsLu(tracks: readonly AudioTrack[]): number[] {
  const hasVoice = tracks.some((t) => t.role === 'voice');
  return tracks.map((t) => (hasVoice && t.role === 'music' ? LOUDNESS_TARGET.musicUnderVoiceLu : 0));
}

/**
 * Gains per track. Voice lines follow each other, never overlap: they are one voice, so the
 * loudness target is shared between roles (voice, music), and every line is brought to the
 * voice's aim on its own, which also evens out lines the provider read louder or softer.
 */
export function trackGainsDb(tracks: readonly AudioTrack[]): number[] {
  const levels = trackLevelsLu(tracks);
  const voices = tracks.filter((t) => t.role === 'voice' && isMeasurable(t.loudness));
  if (voices.length <= 1)
    return mixGainsDb(tracks.map((t, i) => ({ loudness: t.loudness, levelLu: levels[i] })));
  const music = tracks.find((t) => t.role === 'music');
  const rep = voices[0]!.loudness!;
  const [voiceRef = 0, musicGain = 0] = mixGainsDb([
    { loudness: rep, levelLu: 0 },
    { loudness: music?.loudness, levelLu: LOUDNESS_TARGET.musicUnderVoiceLu },
  ]);
  const voiceAim = rep.integratedLufs + voiceRef;
  const max = LOUDNESS_TARGET.maxGainDb;
  return tracks.map((t) => {
    if (t.role === 'music') return musicGain;
    if (!isMeasurable(t.loudness)) return 0;
    const gain = voiceAim - t.loudness.integratedLufs;
    return Math.round(Math.min(max, Math.max(-max, gain)) * 100) / 100;
  });
}

/** The whole audio side of the compose pass, ending in [aout] (48 kHz stereo, exactly totalS). */
export function buildAudioChain(mix: AudioMix): string {
  if (mix.tracks.length === 0) {
    if (mix.silenceInput === undefined) throw new Error('an audio mix needs a track or a silence input');
    return `[${mix.silenceInput}:a:0]${MIX_FORMAT},atrim=0:${num(mix.totalS)}[aout]`;
  }
  const gains = trackGainsDb(mix.tracks);
  const labels = mix.tracks.map((_, i) => `au${i}`);
  const makeup = mix.makeupDb ?? 0;
  const parts = mix.tracks.map((t, i) => trackChain(t, labels[i]!, gains[i]! + makeup, mix));
  const mixed =
    labels.length === 1
      ? `[${labels[0]}]`
      : `${labels.map((l) => `[${l}]`).join('')}amix=inputs=${labels.length}:normalize=0:duration=longest,${RETIME},`;
  const ceiling = num(dbToLinear(LOUDNESS_TARGET.limiterCeilingDbtp));
  const limiter = `aresample=${OVERSAMPLED_HZ},alimiter=limit=${ceiling}:${LIMITER},aresample=48000`;
  parts.push(`${mixed}${limiter}[aout]`);
  return parts.join(';');
}
