import { type Rect, rectInside, safeRect } from './safe-zones.ts';
import { FONT_BY_SCRIPT, fitText, scriptOf } from './text-fit.ts';

/**
 * Pure layout of the words on screen: which line shows when, where, how big, and the box each
 * one may paint (over its whole animation). The same for every provider; ass.ts turns it into
 * a subtitle document that libass draws inside compose's single ffmpeg pass.
 */

export interface TextLayerInput {
  width: number;
  height: number;
  /** Per scene: its on-screen line and its slot on the timeline (compose's `slotS`). */
  scenes: { onScreen: string; durationS: number }[];
  product: string;
  callToAction: string;
  url?: string;
  /** Brand colours when given (a later brand kit), else the mood's: `#rrggbb`. */
  colours?: { panel?: string; accent?: string };
  crossfadeS: number;
}

export type Animation = 'pop' | 'slide' | 'fade';

export interface TextItem {
  kind: 'text';
  role: 'hook' | 'line' | 'product' | 'cta' | 'url';
  lines: string[];
  font: string;
  fontSize: number;
  startS: number;
  endS: number;
  /** Centre of the block at rest. */
  x: number;
  y: number;
  anim: Animation;
  /** Pixels the block rises from while sliding in. */
  slidePx: number;
  ink: string;
  /** The panel behind the text (libass BorderStyle 3), padded by `pad` pixels. */
  backing: { colour: string; alpha: number } | null;
  pad: number;
  box: Rect;
}

export interface RectItem {
  kind: 'rect';
  role: 'end-panel';
  startS: number;
  endS: number;
  colour: string;
  alpha: number;
  box: Rect;
}

export type LayerItem = TextItem | RectItem;

export interface TextLayer {
  width: number;
  height: number;
  safe: Rect;
  items: LayerItem[];
  /**
   * Reserved for the brand logo on the end card: the brand-kit change overlays the image here
   * (an `overlay` in the same graph) between `endCard.startS` and the end. Empty until then.
   */
  logoSlot: Rect;
  endCard: { startS: number; endS: number };
}

export const END_CARD_MAX_S = 4;
export const END_CARD_MIN_S = 3;
const POP_SCALE = 1.08;

const r = (v: number) => Math.round(v);

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

interface Block {
  role: TextItem['role'];
  text: string;
  maxSize: number;
  anim: Animation;
  backing: TextItem['backing'];
  ink?: string;
  maxLines?: number;
}

/** Sizes one block to the safe width and returns its item centred at (x, y). */
function place(
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
function clampInto(item: TextItem, safe: Rect): TextItem {
  const dy = Math.max(safe.y - item.box.y, Math.min(0, safe.y + safe.h - (item.box.y + item.box.h)));
  return dy === 0 ? item : { ...item, y: item.y + dy, box: { ...item.box, y: item.box.y + dy } };
}

function sceneTimes(input: TextLayerInput): { start: number; end: number }[] {
  let t = 0;
  return input.scenes.map((s) => {
    const start = t;
    t += s.durationS;
    return { start, end: t };
  });
}

export function layoutTextLayer(input: TextLayerInput): TextLayer {
  const { width: W, height: H, crossfadeS: cf } = input;
  const safe = safeRect(W, H);
  const cx = r(safe.x + safe.w / 2);
  const times = sceneTimes(input);
  const total = times.at(-1)?.end ?? 0;
  const lastStart = times.at(-1)?.start ?? 0;
  const endStart = Math.max(total - END_CARD_MAX_S, Math.min(lastStart + cf, total - END_CARD_MIN_S), 0);
  const dark = { colour: '#000000', alpha: 0.55 };
  const items: LayerItem[] = [];

  input.scenes.slice(0, -1).forEach((scene, i) => {
    const start = times[i]!.start + (i === 0 ? 0.1 : cf);
    const end = Math.min(times[i]!.end, endStart) - 0.05;
    if (end - start < 0.8 || !scene.onScreen.trim()) return;
    const hook = i === 0;
    const block: Block = hook
      ? { role: 'hook', text: scene.onScreen, maxSize: W * 0.085, anim: 'pop', backing: dark }
      : { role: 'line', text: scene.onScreen, maxSize: W * 0.066, anim: 'slide', backing: dark };
    const y = hook ? safe.y + safe.h * 0.3 : safe.y + safe.h * 0.8;
    const line = clampInto(place(block, safe, W, cx, r(y), start, end), safe);
    items.push(line);
    const productShown = line.lines.join(' ').toLowerCase().includes(input.product.toLowerCase());
    if (i === 1 && input.product.trim() && !productShown) {
      const kicker = place(
        { role: 'product', text: input.product, maxSize: W * 0.05, anim: 'fade', backing: dark, maxLines: 1 },
        safe,
        W,
        cx,
        0,
        start,
        end,
      );
      const y2 = line.box.y - r(W * 0.02) - kicker.box.h / 2;
      items.push(
        clampInto({ ...kicker, y: r(y2), box: { ...kicker.box, y: r(y2 - kicker.box.h / 2) } }, safe),
      );
    }
  });

  const endCard = endCardItems(input, safe, endStart, total);
  items.push(...endCard.items);
  return {
    width: W,
    height: H,
    safe,
    items,
    logoSlot: endCard.logoSlot,
    endCard: { startS: endStart, endS: total },
  };
}

/** Logo slot, product name, the call to action on an accent "button", the URL, on one panel. */
function endCardItems(input: TextLayerInput, safe: Rect, startS: number, endS: number) {
  const W = input.width;
  const cx = r(safe.x + safe.w / 2);
  const panelColour = input.colours?.panel ?? '#000000';
  const accent = input.colours?.accent ?? '#ffffff';
  const onPanel = inkFor(panelColour);
  const blocks: Block[] = [
    { role: 'product', text: input.product, maxSize: W * 0.075, anim: 'fade', backing: null, ink: onPanel },
    {
      role: 'cta',
      text: input.callToAction,
      maxSize: W * 0.07,
      anim: 'pop',
      backing: { colour: accent, alpha: 1 },
      ink: inkFor(accent),
    },
  ];
  if (input.url?.trim()) {
    blocks.push({
      role: 'url',
      text: input.url,
      maxSize: W * 0.045,
      anim: 'fade',
      backing: null,
      ink: onPanel,
      maxLines: 1,
    });
  }
  let placed = blocks.filter((b) => b.text.trim()).map((b) => place(b, safe, W, cx, 0, startS + 0.15, endS));
  const gap = r(W * 0.035);
  const panelPad = r(W * 0.04);
  const height = (items: TextItem[], logoSide: number) =>
    logoSide + items.reduce((s, p) => s + gap + p.box.h, 0) + 2 * panelPad;
  // A small frame cannot hold everything: the logo slot shrinks first, then the URL goes.
  let logo = r(W * 0.16);
  if (height(placed, logo) > safe.h) logo = Math.max(0, logo - (height(placed, logo) - safe.h));
  if (height(placed, logo) > safe.h) placed = placed.filter((p) => p.role !== 'url');
  const panelH = Math.min(safe.h, height(placed, logo));
  const panelY = r(Math.min(Math.max(safe.y, safe.y + safe.h * 0.55 - panelH / 2), safe.y + safe.h - panelH));
  const logoSlot = { x: r(cx - logo / 2), y: panelY + panelPad, w: logo, h: logo };
  let y = logoSlot.y + logo;
  const items: LayerItem[] = [
    {
      kind: 'rect',
      role: 'end-panel',
      startS,
      endS,
      colour: panelColour,
      alpha: 0.6,
      box: { x: safe.x, y: panelY, w: safe.w, h: panelH },
    },
  ];
  for (const p of placed) {
    const top = y + gap;
    const centre = top + (p.box.h - p.slidePx) / 2;
    items.push({ ...p, y: r(centre), box: { ...p.box, y: top } });
    y = top + p.box.h;
  }
  return { items, logoSlot };
}

/** Every box inside the safe area (the layout promises it; tests and callers can check). */
export function layerInsideSafe(layer: TextLayer): boolean {
  return layer.items.every((i) => rectInside(i.box, layer.safe)) && rectInside(layer.logoSlot, layer.safe);
}
