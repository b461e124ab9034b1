import type { EditParams } from './schema.ts';

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
};
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };
const NUMBER = '(\\d{1,2}|one|two|three|four|five|six|seven)';
const ORDINAL = '(first|second|third|fourth|fifth|sixth|seventh|last|\\d{1,2}(?:st|nd|rd|th))';

/** Mood, tone, pace and time-of-day words the offline rules know (README "Edits in words"). */
export const KNOWN_WORDS = [
  'calm',
  'calmer',
  'softer',
  'slower',
  'relaxed',
  'chill',
  'gentle',
  'quieter',
  'upbeat',
  'faster',
  'energetic',
  'livelier',
  'punchier',
  'happier',
  'louder',
  'dramatic',
  'shorter',
  'longer',
  'night',
  'sunset',
  'sunrise',
  'dawn',
  'dusk',
  'morning',
  'evening',
  'golden hour',
  'rain',
  'snow',
  'beach',
  'city',
  'forest',
  'office',
  'studio',
];

const toNumber = (w: string): number =>
  NUMBER_WORDS[w] ?? ORDINALS[w] ?? Number.parseInt(w.replace(/\D+$/, ''), 10);

/** Text in quotes; an apostrophe inside a word ("don't") is not a quote. */
export function quotedText(text: string): string[] {
  const out: string[] = [];
  const re =
    /“([^”]{1,300})”|‘([^’]{1,300})’|"([^"]{1,300})"|(?:^|[\s(:,])'([^']{1,300})'(?=$|[\s.,!?;:)])|`([^`]{1,300})`/g;
  for (const m of text.matchAll(re)) {
    const q = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '').trim();
    if (q) out.push(q);
  }
  return out.slice(0, 5);
}

/**
 * Scene numbers as people write them: "scene 2", "scenes 3 and 4", "scene two", "the second
 * scene", "the last scene" (needs the scene count). Quoted text is skipped: "'Top 3 picks'" is
 * on-screen words, not scene 3.
 */
export function sceneNumbers(text: string, sceneCount: number | null): number[] {
  const t = text.toLowerCase().replace(/“[^”]*”|"[^"]*"|‘[^’]*’|`[^`]*`/g, ' ');
  const found: number[] = [];
  const list = new RegExp(`\\bscenes?\\s+${NUMBER}((?:\\s*(?:,|and|&|with|to)\\s*${NUMBER})*)`, 'g');
  for (const m of t.matchAll(list)) {
    found.push(toNumber(m[1]!));
    for (const more of (m[2] ?? '').matchAll(new RegExp(NUMBER, 'g'))) found.push(toNumber(more[1]!));
  }
  for (const m of t.matchAll(new RegExp(`\\b(?:the\\s+)?${ORDINAL}\\s+(?:scene|shot)\\b`, 'g'))) {
    if (m[1] === 'last') {
      if (sceneCount) found.push(sceneCount);
    } else found.push(toNumber(m[1]!));
  }
  return [...new Set(found.filter((n) => Number.isInteger(n) && n >= 1 && n <= 99))].slice(0, 7);
}

export function knownWords(text: string): string[] {
  const t = text.toLowerCase();
  return KNOWN_WORDS.filter((w) => new RegExp(`\\b${w}\\b`).test(t)).slice(0, 12);
}

/** The parameters every edit carries, read the same way whichever interpreter maps the message. */
export function extractParams(text: string, sceneCount: number | null): EditParams {
  return { quoted: quotedText(text), scenes: sceneNumbers(text, sceneCount), words: knownWords(text) };
}
