import { endCardItems } from './end-card.ts';
import { type Margins, type Rect, rectInside, safeRect } from './safe-zones.ts';
import { type Block, clampInto, place, r, sizeUnit } from './text-block.ts';
import { FONT_BY_SCRIPT } from './text-fit.ts';

export { inkFor, luminance } from './text-block.ts';

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
  /** Brand colours when given (a brand kit), else the mood's: `#rrggbb`. */
  colours?: {
    panel?: string;
    accent?: string;
    /** Words on the panel and on the accent; black or white by contrast when unset. */
    text?: string;
    ctaInk?: string;
    /** The end panel's opacity (a brand panel is nearly solid, so its colour is the brand's). */
    panelOpacity?: number;
  };
  /** A brand font family for Latin-script words (other scripts keep their Noto family). */
  font?: string;
  crossfadeS: number;
  /** The format's UI margins (safe-zones.ts); the 9:16 union when not given. */
  margins?: Margins;
}

export type Animation = 'pop' | 'slide' | 'fade';

export interface TextItem {
  kind: 'text';
  role: 'hook' | 'line' | 'product' | 'cta' | 'url' | 'caption';
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
  const U = sizeUnit(input);
  const safe = safeRect(W, H, input.margins);
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
      ? { role: 'hook', text: scene.onScreen, maxSize: U * 0.085, anim: 'pop', backing: dark }
      : { role: 'line', text: scene.onScreen, maxSize: U * 0.066, anim: 'slide', backing: dark };
    const y = hook ? safe.y + safe.h * 0.3 : safe.y + safe.h * 0.8;
    const line = clampInto(place(block, safe, U, cx, r(y), start, end), safe);
    items.push(line);
    const productShown = line.lines.join(' ').toLowerCase().includes(input.product.toLowerCase());
    if (i === 1 && input.product.trim() && !productShown) {
      const kicker = place(
        { role: 'product', text: input.product, maxSize: U * 0.05, anim: 'fade', backing: dark, maxLines: 1 },
        safe,
        U,
        cx,
        0,
        start,
        end,
      );
      const y2 = line.box.y - r(U * 0.02) - kicker.box.h / 2;
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
    items: input.font ? withFont(items, input.font) : items,
    logoSlot: endCard.logoSlot,
    endCard: { startS: endStart, endS: total },
  };
}

/** The brand font replaces the Latin family only: it may lack Arabic, CJK or Devanagari glyphs. */
function withFont(items: LayerItem[], font: string): LayerItem[] {
  const latin = FONT_BY_SCRIPT.latin.family;
  return items.map((i) => (i.kind === 'text' && i.font === latin ? { ...i, font } : i));
}

/** Every box inside the safe area (the layout promises it; tests and callers can check). */
export function layerInsideSafe(layer: TextLayer): boolean {
  return layer.items.every((i) => rectInside(i.box, layer.safe)) && rectInside(layer.logoSlot, layer.safe);
}
