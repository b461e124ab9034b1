import { cleanLine } from '../on-screen.ts';

/**
 * Captions from the voice-over, phrase by phrase (pure). A line is split where its punctuation
 * pauses, and long runs into chunks of at most MAX_WORDS, so a phrase is readable at a glance.
 * Without word timings from the provider, each phrase gets a share of the line's measured
 * playing time proportional to its characters: speech time tracks letters far better than words.
 */
export const CAPTION_MAX_WORDS = 5;
export const CAPTION_MIN_WORDS = 3;
/** Unspaced scripts (Chinese, Japanese): characters per caption instead of words. */
const CAPTION_MAX_CHARS_UNSPACED = 12;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

export interface CaptionCue {
  /** The voice line (scene) the phrase belongs to. */
  line: number;
  text: string;
  startS: number;
  endS: number;
}

/** A spoken line as placed on the timeline: where it starts and how long it plays. */
export interface SpokenLine {
  index: number;
  text: string;
  startS: number;
  playS: number;
}

function chunk<T>(items: T[], max: number, min: number): T[][] {
  if (items.length <= max) return [items];
  const count = Math.ceil(items.length / max);
  const size = Math.max(min, Math.ceil(items.length / count));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  // A last chunk of one or two words joins the one before it when that stays short enough.
  const last = out.at(-1)!;
  if (out.length > 1 && last.length < min && out.at(-2)!.length + last.length <= max + 1) {
    out.splice(-2, 2, [...out.at(-2)!, ...last]);
  }
  return out;
}

/** Phrases of a line: split after , ; : . ! ? (and their CJK forms), then into <= 5 words. */
export function splitPhrases(text: string): string[] {
  const line = cleanLine(text);
  if (!line) return [];
  // Latin punctuation ends a phrase only before a space ("brewline.co" and "3.5" stay whole);
  // CJK punctuation has no space after it.
  const clauses = line.split(/(?<=[,;:.!?])\s+|(?<=[。，、；！？])\s*/u).filter((c) => c?.trim());
  return clauses.flatMap((clause) => {
    if (UNSPACED.test(clause) && !clause.includes(' ')) {
      return chunk([...clause], CAPTION_MAX_CHARS_UNSPACED, 4).map((c) => c.join(''));
    }
    return chunk(clause.trim().split(' '), CAPTION_MAX_WORDS, CAPTION_MIN_WORDS).map((w) => w.join(' '));
  });
}

const weight = (phrase: string) => [...phrase.replace(/\s+/g, '')].length || 1;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Cues for every spoken line, each phrase timed inside its line's playing time. */
export function captionCues(lines: readonly SpokenLine[]): CaptionCue[] {
  return lines.flatMap((l) => {
    const phrases = splitPhrases(l.text);
    const total = phrases.reduce((s, p) => s + weight(p), 0);
    let t = l.startS;
    return phrases.map((text, k) => {
      const start = t;
      t = k === phrases.length - 1 ? l.startS + l.playS : t + (l.playS * weight(text)) / total;
      return { line: l.index, text, startS: r3(start), endS: r3(t) };
    });
  });
}
