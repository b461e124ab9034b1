/**
 * Script detection, width estimates and line wrapping for the text layer (pure, no fonts read).
 * Widths are estimates in units of the ASS font size (`\fs`), kept on the generous side: a box
 * computed from them must contain what libass really draws (a test renders and checks).
 */

export type Script = 'latin' | 'arabic' | 'hebrew' | 'devanagari' | 'han' | 'kana' | 'hangul';

/**
 * One Noto family per script (Debian's fonts-noto-core / fonts-noto-cjk). Latin also covers
 * Cyrillic and Greek. Anything a family lacks (a Latin word inside Arabic, an emoji) is found by
 * libass through fontconfig's fallback. `sizeScale` evens out the families' different line
 * metrics, which libass uses to turn `\fs` into a glyph size (Noto Sans Arabic draws its letters
 * at about 60 % of Noto Sans's height for the same `\fs`: measured with libass 0.17).
 */
export const FONT_BY_SCRIPT: Record<Script, { family: string; sizeScale: number }> = {
  latin: { family: 'Noto Sans', sizeScale: 1 },
  arabic: { family: 'Noto Sans Arabic', sizeScale: 1.4 },
  hebrew: { family: 'Noto Sans Hebrew', sizeScale: 1 },
  devanagari: { family: 'Noto Sans Devanagari', sizeScale: 1 },
  han: { family: 'Noto Sans CJK SC', sizeScale: 0.95 },
  kana: { family: 'Noto Sans CJK JP', sizeScale: 0.95 },
  hangul: { family: 'Noto Sans CJK KR', sizeScale: 0.95 },
};

const SCRIPT_TESTS: [Script, RegExp][] = [
  // Kana or Hangul decide between the CJK families before Han, which all three share.
  ['hangul', /\p{Script=Hangul}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
];

/** The script that picks the line's font: the first non-Latin one present, else Latin. */
export function scriptOf(text: string): Script {
  for (const [script, re] of SCRIPT_TESTS) if (re.test(text)) return script;
  return 'latin';
}

const WIDE =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

/** Advance of one character in `\fs` units (Noto Sans Bold draws about 0.73 em per `\fs`). */
function charWidth(ch: string): number {
  if (/\p{M}|[\u200b-\u200f\u2060]/u.test(ch)) return 0;
  if (WIDE.test(ch)) return 1.0;
  if (ch === ' ') return 0.22;
  if (/[iIjl.,:;'!|]/.test(ch)) return 0.26;
  if (/[ftr()[\]{}\\/-]/.test(ch)) return 0.36;
  if (/[mwMW@%]/.test(ch)) return 0.78;
  if (/[A-Z0-9&#]/.test(ch)) return 0.58;
  if (/[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(ch)) return 0.5;
  if (/\p{Script=Devanagari}/u.test(ch)) return 0.6;
  return 0.5;
}

export function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/** Words, with every CJK character its own token: those scripts break between characters. */
function tokens(text: string): { t: string; space: boolean }[] {
  const out: { t: string; space: boolean }[] = [];
  for (const word of text.split(' ').filter(Boolean)) {
    let run = '';
    let space = true;
    const push = (t: string) => {
      out.push({ t, space });
      space = false;
    };
    for (const ch of word) {
      if (!WIDE.test(ch)) run += ch;
      else {
        if (run) push(run);
        run = '';
        push(ch);
      }
    }
    if (run) push(run);
  }
  return out;
}

/** Greedy wrap at `maxWidth` (`\fs` units); an overlong word is split so nothing overflows. */
export function wrapText(text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const { t, space } of tokens(text)) {
    let word = t;
    while (textWidth(word) > maxWidth && [...word].length > 1) {
      const chars = [...word];
      let cut = 1;
      while (cut < chars.length - 1 && textWidth(chars.slice(0, cut + 1).join('')) <= maxWidth) cut++;
      if (line) lines.push(line);
      lines.push(chars.slice(0, cut).join(''));
      line = '';
      word = chars.slice(cut).join('');
    }
    const joined = line && space ? `${line} ${word}` : `${line}${word}`;
    if (!line || textWidth(joined) <= maxWidth) line = joined;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export interface FittedText {
  lines: string[];
  fontSize: number;
  /** Widest line in pixels at `fontSize` (estimate). */
  widthPx: number;
}

/**
 * The largest size from `maxSize` down to `minSize` at which the text wraps into `maxLines`
 * within `maxWidthPx`; at the smallest size, extra text is cut with an ellipsis.
 */
export function fitText(
  text: string,
  maxWidthPx: number,
  maxSize: number,
  minSize: number,
  maxLines = 2,
): FittedText {
  let size = Math.max(1, Math.round(maxSize));
  const floor = Math.max(1, Math.round(Math.min(minSize, maxSize)));
  let lines = wrapText(text, maxWidthPx / size);
  while (lines.length > maxLines && size > floor) {
    size = Math.max(floor, Math.round(size * 0.92) === size ? size - 1 : Math.round(size * 0.92));
    lines = wrapText(text, maxWidthPx / size);
  }
  // Balance: the narrowest width that still gives the same line count (no one-word orphan).
  if (lines.length > 1 && lines.length <= maxLines) {
    let lo = 0;
    let hi = maxWidthPx / size;
    for (let k = 0; k < 12; k++) {
      const mid = (lo + hi) / 2;
      if (wrapText(text, mid).length === lines.length) hi = mid;
      else lo = mid;
    }
    lines = wrapText(text, hi);
  }
  if (lines.length > maxLines) {
    lines = lines.slice(0, maxLines);
    const chars = [...lines[maxLines - 1]!];
    while (chars.length > 1 && textWidth(`${chars.join('')}…`) > maxWidthPx / size) chars.pop();
    lines[maxLines - 1] = `${chars.join('').trimEnd()}…`;
  }
  const widthPx = Math.ceil(Math.max(...lines.map(textWidth)) * size);
  return { lines, fontSize: size, widthPx };
}
