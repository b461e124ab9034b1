import type { BrandKit } from './brand.ts';
import { type CaptionStyle as CaptionLayerStyle, DEFAULT_CAPTION_STYLE } from './media/caption-layer.ts';
import { contrastNote, legibleOn } from './media/contrast.ts';
import { inkFor } from './media/text-block.ts';

/** What a kit changes on the end card, with every colour made readable (contrast.ts). */
export interface BrandLook {
  colours: { panel?: string; accent?: string; text?: string; ctaInk?: string; panelOpacity?: number };
  font?: string;
  url?: string;
  /** One line per colour that was changed for legibility: the thread and the CLI show them. */
  notes: string[];
}

/** A brand panel is nearly opaque: the brand's colour is what shows, and what contrast is judged on. */
export const BRAND_PANEL_OPACITY = 0.92;

/**
 * `fallback` holds the colours the mood would give (end card without a kit): a kit that names
 * only some colours keeps the rest from the mood, and its text colour is judged on the panel used.
 */
export function brandLook(kit: BrandKit | null, fallback: { panel: string; accent: string }): BrandLook {
  if (!kit) return { colours: {}, notes: [] };
  const panel = kit.colours.primary ?? fallback.panel;
  const accent = kit.colours.secondary ?? fallback.accent;
  const notes: string[] = [];
  let text = inkFor(panel);
  if (kit.colours.text) {
    const fit = legibleOn(panel, kit.colours.text);
    if (fit.adjusted) notes.push(contrastNote('The text colour', panel, kit.colours.text, fit));
    text = fit.colour;
  }
  // The call to action sits on the accent "button": the brand text colour where it reads there.
  const onAccent = kit.colours.text ? legibleOn(accent, kit.colours.text) : null;
  const ctaInk = onAccent && !onAccent.adjusted ? onAccent.colour : inkFor(accent);
  return {
    colours: {
      ...(kit.colours.primary ? { panel, panelOpacity: BRAND_PANEL_OPACITY } : {}),
      ...(kit.colours.secondary ? { accent } : {}),
      text,
      ctaInk,
    },
    ...(kit.font ? { font: kit.font } : {}),
    ...(kit.url ? { url: kit.url } : {}),
    notes,
  };
}

/** The notes for a kit on its own (before any mood is known): the panel is its primary colour. */
export function brandNotes(kit: BrandKit): string[] {
  return kit.colours.primary ? brandLook(kit, { panel: kit.colours.primary, accent: '#ffffff' }).notes : [];
}

/** How burned-in captions look: for the captions change (wip-voice) to call. */
export interface CaptionStyle {
  /** Font family for Latin-script captions (other scripts keep their Noto family). */
  font: string;
  /** Words, and the box behind them: readable on each other whatever the kit says. */
  ink: string;
  box: string;
  /** The highlighted word when word timings are known. */
  highlight: string;
}

/**
 * Captions styled from the brand kit: the brand font, the brand text colour on a dark box (kept
 * to 4.5:1), and the secondary colour for the spoken word. Without a kit: white on black.
 */
export function captionStyle(kit: BrandKit | null | undefined): CaptionStyle {
  const box = '#000000';
  const ink = kit?.colours.text ? legibleOn(box, kit.colours.text).colour : '#ffffff';
  const accent = kit?.colours.secondary ?? kit?.colours.primary;
  return {
    font: kit?.font ?? 'Noto Sans',
    ink,
    box,
    highlight: accent ? legibleOn(box, accent).colour : '#ffd60a',
  };
}

/** The kit's caption look in the caption layer's terms (its box behind the words, as a panel). */
export function captionLayerStyle(kit: BrandKit): CaptionLayerStyle {
  const look = captionStyle(kit);
  return { ...DEFAULT_CAPTION_STYLE, ink: look.ink, backing: { colour: look.box, alpha: 0.6 } };
}
