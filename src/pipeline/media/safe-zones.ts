import type { FormatName } from './formats.ts';

/**
 * The parts of a 9:16 frame that TikTok, Instagram Reels and YouTube Shorts cover with their own
 * UI (tabs, the right-hand action rail, caption, sound and CTA bars). Text outside the union of
 * the free areas is hidden on at least one platform, so the text layer uses that union.
 *
 * Margins are fractions of the frame (published for 1080x1920), so the same table serves every
 * profile. Sources (checked 2026-12, third-party summaries of the platforms' creative guides):
 * - TikTok: TikTok Creative Center ad guidance as summarised by houseofmarketers.com "Stay Within
 *   Safe Zones" (central 80-90 %, avoid the right-side buttons and the lower 20 %) and
 *   webbannerexperts.com (top tabs; caption and sound disc cover the bottom 20-30 %).
 * - Instagram Reels: Meta Business Help Center as summarised by houseofmarketers.com: keep clear
 *   of the top 14 %, the bottom 35 % and 6 % at each side.
 * - YouTube Shorts: youraithumbnailgenerator.com "YouTube Shorts Safe Zones" (bottom ~25 %,
 *   ~480 px, for title, channel and subscribe) and shortsfire.com (centre 80 % of the width).
 * Apps change their UI; when one does, change its row here and every layout follows.
 */
export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export const SAFE_MARGINS = {
  tiktok: { top: 0.08, bottom: 0.22, left: 0.06, right: 0.13 },
  reels: { top: 0.14, bottom: 0.35, left: 0.06, right: 0.06 },
  shorts: { top: 0.1, bottom: 0.25, left: 0.1, right: 0.1 },
} as const satisfies Record<string, Margins>;

export type Platform = keyof typeof SAFE_MARGINS;

/**
 * The same table for the other formats, one row per place the format is shown. Sources
 * (checked 2026-12, third-party summaries of the platforms' guides):
 * - 4:5 feed (Instagram, Facebook): imagefactory.co.kr "Instagram Story & Reels Ads: where text
 *   is actually safe" gives 64 px on every side of a 1080x1350 feed post (6 % of the width);
 *   blog.aitoearn.ai "1080 x 1350 (4:5)" notes the profile grid shows a centre 1:1 crop, i.e.
 *   (1350-1080)/2 = 135 px (10 %) off the top and the bottom.
 * - 1:1 feed: captions, likes and the CTA sit below the media in the feed, not over it (same
 *   sources; Meta recommends 1:1 or 4:5 for feeds): the 6 % feed margin on every side.
 * - 16:9 YouTube: Google's YouTube help (answer 2467968, quoted by support.vendasta.com and
 *   YouTube Creator Academy) puts overlay ads on the lower 20 % of the video; the progress bar,
 *   channel badge (bottom left) and timestamp (bottom right) sit there too, and the title and
 *   menu bar along the top (clickyapps.com "Safe text areas": 8 % horizontal, 10 % vertical).
 */
export const FORMAT_SAFE_MARGINS = {
  '9x16': SAFE_MARGINS,
  '4x5': {
    feed: { top: 0.06, bottom: 0.06, left: 0.06, right: 0.06 },
    profileGrid: { top: 0.1, bottom: 0.1, left: 0, right: 0 },
  },
  '1x1': { feed: { top: 0.06, bottom: 0.06, left: 0.06, right: 0.06 } },
  '16x9': { youtube: { top: 0.1, bottom: 0.2, left: 0.08, right: 0.08 } },
} as const satisfies Record<FormatName, Record<string, Margins>>;

/** The margins free on every place `format` is shown (the union of its rows). */
export function formatMargins(format: FormatName): Margins {
  const rows: Margins[] = Object.values(FORMAT_SAFE_MARGINS[format]);
  const max = (side: keyof Margins) => Math.max(...rows.map((r) => r[side]));
  return { top: max('top'), bottom: max('bottom'), left: max('left'), right: max('right') };
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The largest margin on each side over the given platforms: free on all of them. */
export function unionMargins(
  platforms: readonly Platform[] = Object.keys(SAFE_MARGINS) as Platform[],
): Margins {
  const rows = platforms.map((p) => SAFE_MARGINS[p]);
  const max = (side: keyof Margins) => Math.max(...rows.map((r) => r[side]));
  return { top: max('top'), bottom: max('bottom'), left: max('left'), right: max('right') };
}

/** The safe area in pixels, rounded inwards so a box inside it never touches a UI margin. */
export function safeRect(width: number, height: number, margins: Margins = unionMargins()): Rect {
  const x = Math.ceil(width * margins.left);
  const y = Math.ceil(height * margins.top);
  const right = Math.floor(width * (1 - margins.right));
  const bottom = Math.floor(height * (1 - margins.bottom));
  return { x, y, w: right - x, h: bottom - y };
}

export function rectInside(inner: Rect, outer: Rect): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}
