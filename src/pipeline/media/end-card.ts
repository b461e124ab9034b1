import type { Rect } from './safe-zones.ts';
import { type Block, inkFor, place, r, sizeUnit } from './text-block.ts';
import type { LayerItem, TextItem, TextLayerInput } from './text-layer.ts';

/** Logo slot, product name, the call to action on an accent "button", the URL, on one panel. */
export function endCardItems(input: TextLayerInput, safe: Rect, startS: number, endS: number) {
  const W = sizeUnit(input);
  const cx = r(safe.x + safe.w / 2);
  const panelColour = input.colours?.panel ?? '#000000';
  const accent = input.colours?.accent ?? '#ffffff';
  const onPanel = input.colours?.text ?? inkFor(panelColour);
  const blocks: Block[] = [
    { role: 'product', text: input.product, maxSize: W * 0.075, anim: 'fade', backing: null, ink: onPanel },
    {
      role: 'cta',
      text: input.callToAction,
      maxSize: W * 0.07,
      anim: 'pop',
      backing: { colour: accent, alpha: 1 },
      ink: input.colours?.ctaInk ?? inkFor(accent),
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
      alpha: input.colours?.panelOpacity ?? 0.6,
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
