import type { BrandKit } from '../../pipeline/brand.ts';
import { brandNotes } from '../../pipeline/brand-look.ts';
import type { Card } from './cards.ts';

/** One line for the brief card: what the ad will carry from the kit. */
export function brandSummary(kit: BrandKit): string {
  const c = kit.colours;
  const colours = [c.primary, c.secondary, c.text].filter(Boolean).join(' ');
  return [
    kit.name,
    colours,
    kit.font,
    kit.logo ? 'logo' : null,
    kit.url,
    kit.callToAction ? `CTA “${kit.callToAction}”` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The kit as a card: every field, and a line for each colour changed to stay readable. */
export function brandKitCard(kit: BrandKit, title = '🎨 Brand kit', extra = ''): Card {
  const c = kit.colours;
  const none = '—';
  const notes = brandNotes(kit);
  return {
    kind: 'text',
    title,
    text:
      [extra, ...notes.map((n) => `⚠️ ${n}`)].filter(Boolean).join('\n') ||
      'Every new ad in this channel uses it.',
    fields: [
      { label: 'Name', value: kit.name },
      { label: 'Primary colour', value: c.primary ?? none },
      { label: 'Secondary colour', value: c.secondary ?? none },
      { label: 'Text colour', value: c.text ?? none },
      { label: 'Font', value: kit.font ?? 'Noto Sans (default)' },
      { label: 'Call to action', value: kit.callToAction ?? none },
      { label: 'URL', value: kit.url ?? none },
      { label: 'Logo', value: kit.logo ? `${kit.logo.width}x${kit.logo.height} PNG` : none },
    ],
    ...(kit.logo ? { images: [{ path: kit.logo.path, alt: `${kit.name} logo` }] } : {}),
    palette: [c.primary, c.secondary, c.text].filter((x): x is string => !!x),
  };
}

/** `/adgen brand show` as plain text (answered to the one who asked). */
export function brandShowText(kit: BrandKit | undefined): string {
  if (!kit) return 'This channel has no brand kit yet. Set one with `/adgen brand`.';
  const card = brandKitCard(kit);
  const notes = brandNotes(kit).map((n) => `⚠️ ${n}`);
  return [
    'Brand kit for this channel:',
    ...card.fields!.map((f) => `• ${f.label}: ${f.value}`),
    ...notes,
  ].join('\n');
}
