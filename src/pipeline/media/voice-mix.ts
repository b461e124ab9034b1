import type { AudioTrack } from './audio-graph.ts';
import { dbToLinear, LOUDNESS_TARGET } from './loudness.ts';

/** The voice-over's part of the compose pass's audio chain (pure): fitting and ducking. */

const num = (x: number): string => String(Math.round(x * 1000) / 1000);

/** A trimmed line fades out over this instead of stopping on a click. */
const VOICE_TRIM_FADE_S = 0.15;

/** Tempo, then (for a line longer than its window) the cut with a fade, before it is placed. */
export function voiceFit(track: AudioTrack): string[] {
  const out: string[] = [];
  const tempo = track.tempo ?? 1;
  if (Math.abs(tempo - 1) > 0.001) out.push(`atempo=${num(tempo)}`);
  const spoken = track.loudness ? track.loudness.durationS / tempo : undefined;
  if (track.playS !== undefined && (spoken === undefined || spoken > track.playS + 0.01)) {
    out.push(`atrim=0:${num(track.playS)}`);
    out.push(
      `afade=t=out:st=${num(Math.max(0, track.playS - VOICE_TRIM_FADE_S))}:d=${num(VOICE_TRIM_FADE_S)}`,
    );
  }
  return out;
}

/** When each voice line is heard on the ad's timeline: what the music ducks under. */
export function voiceWindows(tracks: readonly AudioTrack[]): { startS: number; endS: number }[] {
  return tracks
    .filter((t) => t.role === 'voice')
    .map((t) => {
      const spoken = t.loudness ? t.loudness.durationS / (t.tempo ?? 1) : (t.playS ?? 0);
      const play = t.playS === undefined ? spoken : Math.min(spoken, t.playS);
      return { startS: t.startS ?? 0, endS: (t.startS ?? 0) + play };
    })
    .filter((w) => w.endS > w.startS)
    .sort((a, b) => a.startS - b.startS);
}

/**
 * Ducking as volume automation keyed to the voice timings (not sidechaincompress): the timings
 * are known before the pass, so the music's level under each line is exact and repeatable,
 * starts a ramp BEFORE the first word (a compressor only reacts after it), and the loudness
 * calibration, which runs this same chain, sees the same gain the final pass applies. Each
 * window contributes a trapezoid 0..1 (ramped over duckRampS); they are summed, clipped to 1.
 */
export function duckFilter(
  windows: readonly { startS: number; endS: number }[],
  duckDb: number = LOUDNESS_TARGET.duckUnderVoiceDb,
  rampS: number = LOUDNESS_TARGET.duckRampS,
): string | undefined {
  if (windows.length === 0 || duckDb <= 0) return undefined;
  const r = num(rampS);
  const w = windows.map(
    (x) => `clip(min((t-${num(x.startS - rampS)})/${r},(${num(x.endS + rampS)}-t)/${r}),0,1)`,
  );
  const depth = num(1 - dbToLinear(-duckDb));
  return `volume=volume='1-${depth}*min(1,${w.join('+')})':eval=frame`;
}
