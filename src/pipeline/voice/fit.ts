/**
 * Fitting voice lines to their scenes (pure). Each line gets a window inside its scene: a short
 * lead after the cut (the crossfade is still settling) and a tail before the next one. A line
 * that runs a little long is sped up with atempo; past MAX it would sound rushed, so it is
 * re-planned shorter once, and what still does not fit is cut with a fade.
 */
export const TEMPO = { min: 0.9, max: 1.15 } as const;
export const VOICE_LEAD_S = 0.3;
export const VOICE_TAIL_S = 0.25;

export interface VoiceWindow {
  index: number;
  startS: number;
  endS: number;
}

/** The window of every scene, on the ad's timeline (scene slots as compose lays them out). */
export function voiceWindows(durations: readonly number[]): VoiceWindow[] {
  let t = 0;
  return durations.map((d, index) => {
    const w = { index, startS: t + VOICE_LEAD_S, endS: t + d - VOICE_TAIL_S };
    t += d;
    return w;
  });
}

export type TempoFit = { fits: true; tempo: number } | { fits: false; tempo: number; spokenS: number };

/**
 * The tempo that makes `spokenS` of speech fit `windowS`. A line that already fits plays as
 * spoken (1.0): slowing speech down to fill a pause sounds drawn out, and a pause is fine. The
 * range's lower end (0.9) only matters for callers that ask for a slower read.
 */
export function fitTempo(spokenS: number, windowS: number, wanted = 1): TempoFit {
  const needed = spokenS / Math.max(windowS, 0.001);
  const tempo = Math.min(TEMPO.max, Math.max(TEMPO.min, Math.max(needed, wanted)));
  const r = Math.round(tempo * 1000) / 1000;
  return needed <= TEMPO.max + 1e-9 ? { fits: true, tempo: r } : { fits: false, tempo: r, spokenS };
}

/** Seconds the line takes on the timeline at `tempo`, never more than its window. */
export function playSeconds(spokenS: number, tempo: number, windowS: number): number {
  return Math.round(Math.min(spokenS / tempo, windowS) * 1000) / 1000;
}
