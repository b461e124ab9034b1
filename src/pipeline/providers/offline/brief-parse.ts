import type { Brief } from '../../schemas.ts';
import { capitalize, clampText } from './common.ts';

/** Answers that hand the choice back to us. */
const DEFER =
  /^(?:skip|pass|next|none|n\/?a|no idea|idk|dunno|not sure|any|anything|whatever|you (?:choose|pick|decide)|up to you|your call|surprise me|(?:i )?don'?t know|dealer'?s choice)[.!\s]*$/i;

/** Opening messages that carry no product idea. */
const GREETING =
  /^(?:hi|hello|hey|yo|hiya|howdy|start|help|go|let'?s go|ok(?:ay)?|new ad|\/adgen)[\s!.,?]*$/i;

/** "I want an ad for X" -> "X": the lead-in is about us, not the product. */
const LEAD_IN =
  /^(?:\/adgen\s+)?(?:(?:hi|hello|hey)[,!.\s]+)?(?:(?:i(?:'d| would)?|we(?:'d| would)?) (?:want|like|need)(?: to (?:make|create|get))? |(?:please |can you |could you )?(?:make|create|build|do)(?: me| us)? )?(?:an? |the )?(?:(?:short|quick|30[- ]?s(?:econd)?|vertical|video|social) )*(?:ad|advert|commercial|promo)(?:vertisement)? (?:for|about|promoting) /i;

export type Answer = { kind: 'value'; text: string } | { kind: 'defer' } | { kind: 'unreadable' };

/** Emoji-only, punctuation-only or empty answers cannot fill a field. */
export function classifyAnswer(raw: string): Answer {
  const text = raw
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\p{Extended_Pictographic}|\u200d|\ufe0f/gu, ' ')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return { kind: 'unreadable' };
  if (DEFER.test(text.replace(/\s+/g, ' '))) return { kind: 'defer' };
  return { kind: 'value', text };
}

export function isGreeting(text: string): boolean {
  return GREETING.test(text.trim());
}

function tidy(text: string): string {
  return text
    .replace(/^\s*(?:[-*•·]|\d+[.)])\s+/, '')
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function dedupe(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const key = x.toLowerCase();
    if (!x || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Short keyword lists (tone, style): commas, "and", "&", "/", semicolons and lines all separate. */
export function splitKeywords(text: string, maxItems: number, maxLen: number): string[] {
  const parts = text
    .split(/[\n,;/&|+]|\s+and\s+|\s+or\s+/i)
    .map((p) =>
      tidy(p)
        .replace(/[.!?]+$/, '')
        .toLowerCase(),
    )
    .filter((p) => /[\p{L}\p{N}]/u.test(p))
    .map((p) => clampText(p, maxLen));
  return dedupe(parts).slice(0, maxItems);
}

/**
 * Key messages are sentences that may contain commas and "and", so lines, semicolons and
 * bullets split first; commas only split when every part reads like a phrase (2+ words).
 */
export function splitMessages(text: string, maxItems: number, maxLen: number): string[] {
  let parts = text.split(/\n|;|\s+(?=(?:[-*•]|\d+[.)])\s)/).map(tidy);
  parts = parts.filter((p) => /[\p{L}\p{N}]/u.test(p));
  if (parts.length === 1) {
    const byComma = parts[0]!.split(',').map(tidy);
    if (byComma.length > 1 && byComma.every((p) => p.split(' ').length >= 2)) parts = byComma;
  }
  const cleaned = parts.map((p) => capitalize(clampText(p.replace(/[.!]+$/, ''), maxLen)));
  return dedupe(cleaned).slice(0, maxItems);
}

export function parseProduct(text: string): string {
  const stripped = tidy(text.replace(LEAD_IN, '')).replace(/[.!]+$/, '');
  return clampText(stripped || tidy(text), 300);
}

/** "a cold brew subscription for remote workers" -> "remote workers" (used only as a default). */
export function audienceHint(product: string): string | null {
  const m = /\bfor\s+((?!\w+ing\b)[^,.;]{3,80})$/i.exec(product);
  return m ? m[1]!.trim() : null;
}

/** "remote workers who need a lift" -> "remote workers": short enough for a headline. */
export function shortAudience(audience: string): string {
  const head = audience
    .split(/\s+(?:who|that|which|with|in|on|at|aged|between|looking|wanting|needing)\s+|[,;:(.!?]/i)[0]!
    .trim();
  return clampText((head || audience).replace(/^(?:the|all)\s+/i, ''), 36);
}

/** "Brewline, a cold brew subscription" or "Brewline: cold brew" -> "Brewline". */
function brandOf(product: string): string | null {
  const m = /^([^,:;–—]{2,32}?)\s*(?:[,:]|\s[–—-])\s+\S/.exec(product);
  const brand = m?.[1]?.trim();
  // A capitalised name ("The Daily Grind") is a brand; "a cold brew, ..." is a description.
  return brand &&
    brand.split(/\s+/).length <= 3 &&
    /^(?:the\s+)?\p{Lu}/u.test(brand) &&
    !/^an?\s/i.test(brand)
    ? brand
    : null;
}

/**
 * The product for sentences: the brand when there is one, else the product without its
 * audience ("a cold brew coffee subscription"), cut at a word so no "…" lands mid-sentence.
 */
export function productPhrase(product: string): string {
  const brand = brandOf(product);
  if (brand) return brand;
  let bare = product.replace(/\s+for\s+(?!\w+ing\b)[^,.;]{3,80}$/i, '').trim() || product;
  const head = bare.split(/,|;|\s[–—-]\s/)[0]!.trim();
  if (bare.length > 60 && head.split(/\s+/).length >= 2) bare = head;
  if (bare.length <= 60) return bare;
  const cut = clampText(bare, 61).slice(0, -1);
  return cut.replace(/(?:\s+(?:a|an|the|by|of|in|for|and|with|to|on|at))+$/i, '');
}

/** The bare product for headlines: "Brewline", "Cold brew coffee subscription". */
export function productName(product: string): string {
  const brand = brandOf(product);
  if (brand) return brand;
  const phrase = productPhrase(product);
  return capitalize(clampText(phrase.replace(/^(?:an?|the|our|my)\s+/i, '') || phrase, 48));
}

const TONE_HINTS: [RegExp, string[]][] = [
  [/coffee|tea|bakery|food|snack|cook|kitchen|wine|beer/i, ['warm', 'inviting', 'uplifting']],
  [/app|software|saas|ai\b|platform|tool|cloud|tech/i, ['smart', 'confident', 'optimistic']],
  [/fitness|gym|sport|run|bike|energy|drink/i, ['energetic', 'bold', 'motivating']],
  [/spa|yoga|sleep|meditat|skin|wellness|calm|relax/i, ['calm', 'reassuring', 'gentle']],
  [/fashion|jewel|luxury|watch|perfume|beauty/i, ['elegant', 'confident', 'aspirational']],
];

/** Sensible defaults for "skip" / "you choose", derived from the product so they stay relevant. */
export function defaultFor(field: keyof Brief, product: string): Brief[keyof Brief] {
  const name = productName(product);
  switch (field) {
    case 'audience':
      return audienceHint(product) ?? `people who would love ${name}`;
    case 'tone':
      return TONE_HINTS.find(([re]) => re.test(product))?.[1] ?? ['warm', 'confident', 'upbeat'];
    case 'style':
      return /coffee|tea|food|bakery/i.test(product)
        ? ['natural light', 'cozy', 'editorial']
        : ['clean', 'modern', 'cinematic'];
    case 'keyMessages':
      return [clampText(`${name}, made simple`, 200), 'Quality you can feel', 'Ready when you are'];
    case 'callToAction':
      return /subscri|plan|membership|box/i.test(product)
        ? 'Start your subscription today'
        : /app|software|saas|platform/i.test(product)
          ? 'Download now and try it free'
          : 'Try it today';
    default:
      return clampText(product, 300);
  }
}
