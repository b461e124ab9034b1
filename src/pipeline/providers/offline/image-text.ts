import type { Rng } from './common.ts';

export interface TitleLayout {
  lines: string[];
  fontSize: number;
  /** Baseline y of each line (drawtext is placed at baseline - ascent so lines align). */
  baselines: number[];
  bandY: number;
  bandH: number;
  barY: number;
  barW: number;
  barH: number;
  shadow: number;
}

/**
 * DejaVu Sans Bold has no emoji and control characters would draw as boxes, so both go; the
 * rest of the text is drawn verbatim from a file, never parsed by ffmpeg.
 */
export function cleanTitle(title: string): string {
  return title
    .replace(/\p{Extended_Pictographic}|[\u200d\ufe0f]/gu, '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Advance widths of DejaVu Sans Bold in ems, grouped: close enough to wrap without measuring. */
function charEm(ch: string): number {
  if (/[ iIjl.,:;'!|]/.test(ch)) return 0.36;
  if (/[ftr()-]/.test(ch)) return 0.48;
  if (/[mMW@%]/.test(ch)) return 1.04;
  if (/[wA-Z0-9&]/.test(ch)) return 0.8;
  return 0.69;
}

export function textEm(text: string): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em;
}

/** Greedy word wrap; a single overlong word is hard-split so nothing runs off the frame. */
export function wrapWords(text: string, maxEm: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let w = word;
    while (textEm(w) > maxEm) {
      let cut = 1;
      while (cut < w.length && textEm(`${w.slice(0, cut + 1)}-`) <= maxEm) cut++;
      if (line) lines.push(line);
      lines.push(`${w.slice(0, cut)}-`);
      line = '';
      w = w.slice(cut);
    }
    const next = line ? `${line} ${w}` : w;
    if (textEm(next) <= maxEm) line = next;
    else {
      if (line) lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Big first, then smaller until the title fits in three lines inside the safe width. */
export function titleLayout(title: string, W: number, H: number, rng: Rng): TitleLayout | null {
  const text = cleanTitle(title);
  if (!text) return null;
  const safeW = W * 0.8;
  // Two lines at a large size read best; three lines only once the type would get small.
  let fontSize = Math.round(W * 0.092);
  let lines = wrapWords(text, safeW / fontSize);
  while (lines.length > (fontSize < W * 0.07 ? 3 : 2) && fontSize > W * 0.045) {
    fontSize = Math.max(1, Math.round(fontSize * 0.92));
    lines = wrapWords(text, safeW / fontSize);
  }
  if (lines.length > 3) {
    lines = lines.slice(0, 3);
    lines[2] = `${lines[2]!.replace(/[-\s]+$/, '')}…`;
  }
  const lineH = Math.round(fontSize * 1.2);
  const pad = Math.round(fontSize * 0.7);
  const barH = Math.max(2, Math.round(fontSize * 0.07));
  const barGap = Math.round(fontSize * 0.45);
  const bandH = lines.length * lineH + 2 * pad + barGap + barH;
  // Centre of the band: middle or lower third, never in the bottom 15% where apps put their UI.
  const centre = H * rng.pick([0.5, 0.6, 0.66]);
  const bandY = Math.round(Math.min(centre - bandH / 2, H * 0.85 - bandH));
  const first = bandY + pad + Math.round(fontSize * 0.93);
  return {
    lines,
    fontSize,
    baselines: lines.map((_, k) => first + k * lineH),
    bandY,
    bandH,
    barY: bandY + bandH - pad - barH,
    barW: Math.round(W * 0.1),
    barH,
    shadow: Math.max(1, Math.round(fontSize / 30)),
  };
}
