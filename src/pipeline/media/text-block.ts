import type { Rect } from './safe-zones.ts';
import { FONT_BY_SCRIPT, fitText, scriptOf } from './text-fit.ts';
import type { Animation, TextItem } from './text-layer.ts';

/** One block of words sized to the safe width: shared by the scene lines and the end card. */

export const POP_SCALE = 1.08;

export const r = (v: number) => Math.round(v);

/** Type sizes follow the short side: a 16:9 frame gets the 9:16 sizes, not 1.8x larger ones. */
export const sizeUnit = (frame: { width: number; height: number }) => Math.min(frame.width, frame.height);

/** WCAG relative luminance of `#rrggbb`. */
export function luminance(hex: string): number {
  const ch = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = ch.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

/** Black or white, whichever contrasts more with the background. */
export function inkFor(bg: string): string {
  const l = luminance(bg);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}

export interface Block {
  role: TextItem['role'];
  text: string;
  maxSize: number;
  anim: Animation;
  backing: TextItem['backing'];
  ink?: string;
  maxLines?: number;
}

/** Sizes one block to the safe width and returns its item centred at (x, y). */
export function place(
  b: Block,
  safe: Rect,
  W: number,
  x: number,
  y: number,
  startS: number,
  endS: number,
): TextItem {
  const font = FONT_BY_SCRIPT[scriptOf(b.text)];
  const pad = Math.max(1, r(b.maxSize * 0.22));
  // Below 60 % of its size a line stops reading as a headline: past that it is cut instead.
  const maxSize = b.maxSize * font.sizeScale;
  const fitted = fitText(
    b.text,
    safe.w - 2 * pad - 2,
    maxSize,
    Math.max(W * 0.035, maxSize * 0.6),
    b.maxLines ?? 2,
  );
  const fs = fitted.fontSize;
  const slidePx = b.anim === 'slide' ? r(fs * 0.35) : 0;
  const grow = b.anim === 'pop' ? POP_SCALE : 1;
  // libass spaces lines by the font's own metrics (~1.0-1.2 fs for Noto): 1.3 covers all.
  const w = Math.min(safe.w, Math.ceil((fitted.widthPx + 2 * pad) * grow) + 2);
  const h = Math.ceil((fitted.lines.length * fs * 1.3 + 2 * pad) * grow) + 2;
  // Centred on x, but never past the safe area's sides (rounding or a full-width block).
  const left = Math.max(safe.x, Math.min(r(x - w / 2), safe.x + safe.w - w));
  const box = { x: left, y: r(y - h / 2), w, h: h + slidePx };
  return {
    kind: 'text',
    role: b.role,
    lines: fitted.lines,
    font: font.family,
    fontSize: fs,
    startS,
    endS,
    x,
    y,
    anim: b.anim,
    slidePx,
    ink: b.ink ?? '#ffffff',
    backing: b.backing,
    pad,
    box,
  };
}

/** Moves an item vertically so its box stays inside the safe area. */
export function clampInto(item: TextItem, safe: Rect): TextItem {
  const dy = Math.max(safe.y - item.box.y, Math.min(0, safe.y + safe.h - (item.box.y + item.box.h)));
  return dy === 0 ? item : { ...item, y: item.y + dy, box: { ...item.box, y: item.box.y + dy } };
}
