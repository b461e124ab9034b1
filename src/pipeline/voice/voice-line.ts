import { cleanLine } from '../on-screen.ts';

/**
 * One voice-over line per scene, sized to the scene. Ad voice-overs run at about 2.5 words a
 * second (150 wpm, a brisk but clear read); a short breath at each end keeps lines from running
 * into the crossfades, so a scene of `d` seconds holds about (d - BREATH_S) * 2.5 words.
 */
export const VOICE_WORDS_PER_S = 2.5;
/** Chinese and Japanese are counted in characters: about six a second read aloud. */
export const VOICE_UNSPACED_CHARS_PER_S = 6;
export const VOICE_BREATH_S = 0.6;
export const VOICE_LINE_MAX_CHARS = 240;

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** How many words (or, unspaced, characters) a scene of `durationS` seconds can carry. */
export function voiceBudget(text: string, durationS: number): { unit: 'word' | 'char'; max: number } {
  const speaking = Math.max(0, durationS - VOICE_BREATH_S);
  return UNSPACED.test(text)
    ? { unit: 'char', max: Math.floor(speaking * VOICE_UNSPACED_CHARS_PER_S) }
    : { unit: 'word', max: Math.floor(speaking * VOICE_WORDS_PER_S) };
}

/** Cuts `text` to at most `max` words (or characters), preferring the end of a phrase. */
export function cutVoiceLine(text: string, max: number, unit: 'word' | 'char' = 'word'): string {
  const line = cleanLine(text);
  const parts = unit === 'word' ? line.split(' ').filter(Boolean) : [...line];
  if (parts.length <= max) return line;
  if (max <= 0) return '';
  const kept = parts.slice(0, max);
  // Prefer ending where a phrase ends (a comma, a full stop) if that keeps at least half.
  let phraseEnd = -1;
  kept.forEach((p, i) => {
    if (/[.,;:!?。，、！？]$/u.test(p)) phraseEnd = i;
  });
  const cut = phraseEnd >= Math.floor(max / 2) ? kept.slice(0, phraseEnd + 1) : kept;
  const joined = cut.join(unit === 'word' ? ' ' : '');
  return joined.replace(/[\s,;:–—-]+$/u, '').trim();
}

/**
 * What the planners' `voiceLine` becomes: one clean line, never longer than the scene can carry.
 * Empty is allowed (a silent scene). Shortened, never refused, like the on-screen words.
 */
export function fitVoiceLine(text: string | null | undefined, durationS: number): string {
  const line = cleanLine(text ?? '').slice(0, VOICE_LINE_MAX_CHARS);
  const { unit, max } = voiceBudget(line, durationS);
  return cutVoiceLine(line, max, unit);
}

/**
 * The line re-planned shorter once, when even the fastest tempo cannot fit it into its window:
 * deterministic (same input, same line, no second paid LLM call), aiming 10 % under the fit.
 */
export function shortenVoiceLine(text: string, spokenS: number, windowS: number): string {
  const line = cleanLine(text);
  const unspaced = UNSPACED.test(line);
  const count = unspaced ? [...line].length : line.split(' ').filter(Boolean).length;
  const max = Math.floor((count * windowS * 0.9) / Math.max(spokenS, 0.001));
  const shorter = cutVoiceLine(line, Math.min(max, count - 1), unspaced ? 'char' : 'word');
  return shorter;
}
