import type { CaptionCue } from '../voice/captions.ts';

/** SubRip (.srt) from caption cues (pure): numbered cues, `hh:mm:ss,mmm --> hh:mm:ss,mmm`. */

export function srtTime(s: number): string {
  const ms = Math.max(0, Math.round(s * 1000));
  const two = (v: number) => String(v).padStart(2, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = Math.floor((ms % 60_000) / 1000);
  return `${two(h)}:${two(m)}:${two(sec)},${String(ms % 1000).padStart(3, '0')}`;
}

/**
 * Cue text is one line; line breaks inside it would end the cue early in players, and a line
 * that is only digits or an arrow would read as cue syntax, so breaks become spaces.
 */
export function buildSrt(cues: readonly CaptionCue[]): string {
  return cues
    .filter((c) => c.endS > c.startS && c.text.trim())
    .map(
      (c, i) =>
        `${i + 1}\n${srtTime(c.startS)} --> ${srtTime(c.endS)}\n${c.text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim()}\n`,
    )
    .join('\n');
}
