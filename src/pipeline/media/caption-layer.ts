import type { CaptionCue } from '../voice/captions.ts';
import { type Rect, rectInside } from './safe-zones.ts';
import { place, r, sizeUnit } from './text-block.ts';
import type { LayerItem, TextItem, TextLayer } from './text-layer.ts';

/**
 * Burned-in captions on top of a laid-out text layer (pure). Captions sit in the lower third of
 * the safe area, where viewers look for them; the scene lines that would meet them move up
 * instead. On the end card the panel holds the call to action, so a caption goes below or above
 * it, and is left out of the picture (still in the .srt) only when neither has room.
 */

/** How captions look: the text layer's defaults; a brand kit passes its own (wip-brand). */
export interface CaptionStyle {
  ink: string;
  backing: { colour: string; alpha: number } | null;
  /** Font size as a fraction of the frame's short side (its width in 9:16), before the script's own scale. */
  sizeOfWidth: number;
}

export const DEFAULT_CAPTION_STYLE: CaptionStyle = {
  ink: '#ffffff',
  backing: { colour: '#000000', alpha: 0.6 },
  sizeOfWidth: 0.05,
};

const overlapsInTime = (a: { startS: number; endS: number }, b: { startS: number; endS: number }) =>
  a.startS < b.endS && b.startS < a.endS;

const overlapsBox = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

function at(item: TextItem, top: number): TextItem {
  const dy = top - item.box.y;
  return { ...item, y: item.y + dy, box: { ...item.box, y: top } };
}

/** Scene lines (not the end card) that would meet the caption band move up above it. */
function liftSceneLines(items: LayerItem[], bandTop: number, gap: number, endCardS: number, safe: Rect) {
  const sceneText = (i: LayerItem): i is TextItem =>
    i.kind === 'text' && i.startS < endCardS && i.role !== 'caption';
  // The product kicker above a scene's line moves with it: same start, same shift.
  const shift = new Map<number, number>();
  for (const i of items) {
    if (!sceneText(i) || i.role !== 'line') continue;
    const over = i.box.y + i.box.h - (bandTop - gap);
    if (over > 0) shift.set(i.startS, Math.max(shift.get(i.startS) ?? 0, over));
  }
  return items.map((i) => {
    if (!sceneText(i) || !shift.has(i.startS)) return i;
    const top = Math.max(safe.y, i.box.y - shift.get(i.startS)!);
    return at(i, top);
  });
}

export function addCaptions(
  layer: TextLayer,
  cues: readonly CaptionCue[],
  style: CaptionStyle = DEFAULT_CAPTION_STYLE,
): TextLayer {
  const { safe } = layer;
  if (cues.length === 0) return layer;
  // Type follows the short side, as the text layer's does: 16:9 captions are not 1.8x larger.
  const W = sizeUnit(layer);
  const cx = r(safe.x + safe.w / 2);
  const gap = r(W * 0.02);
  const placed = cues.map((c) =>
    place(
      {
        role: 'caption',
        text: c.text,
        maxSize: W * style.sizeOfWidth,
        anim: 'fade',
        backing: style.backing,
        ink: style.ink,
      },
      safe,
      W,
      cx,
      0,
      c.startS,
      c.endS,
    ),
  );
  const bottom = safe.y + safe.h;
  const bandTop = Math.min(...placed.map((p) => bottom - p.box.h));
  const items = liftSceneLines(layer.items, bandTop, gap, layer.endCard.startS, safe);
  const captions: TextItem[] = [];
  for (const p of placed) {
    const busy = items.filter((i) => overlapsInTime(i, p)).map((i) => i.box);
    // Lower third first; then just above whatever is in the way (the end card's panel).
    const tops = [bottom - p.box.h, ...busy.map((b) => b.y - gap - p.box.h), safe.y];
    const top = tops.find((t) => {
      const box = { ...p.box, y: t };
      return rectInside(box, safe) && !busy.some((b) => overlapsBox(box, b));
    });
    if (top !== undefined) captions.push(at(p, top));
  }
  return { ...layer, items: [...items, ...captions] };
}
