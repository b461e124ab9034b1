import { type Card, renderMentions } from '../core/cards.ts';

/** The core's mention tokens as `@name`: a terminal has no pings. */
export const consoleText = (text: string) => renderMentions(text, (user) => `@${user}`);

export interface Choice {
  action: string;
  value: string;
  messageId: string;
}

/** A card as terminal text; buttons and select options become numbered choices. */
export function renderCard(card: Card, messageId: string, choices: Choice[]): string {
  const lines: string[] = [];
  if (card.title) lines.push(`\x1b[1m${card.title}\x1b[0m`);
  if (card.text) lines.push(consoleText(card.text));
  for (const f of card.fields ?? []) lines.push(`  ${f.label}: ${f.value}`);
  for (const img of card.images ?? []) lines.push(`  🖼  ${img.alt}: ${img.path}`);
  const numbered = (label: string, action: string, value: string) => {
    choices.push({ action, value, messageId });
    return `  [${choices.length}] ${label}`;
  };
  for (const b of card.buttons ?? []) lines.push(numbered(b.label, b.action, b.value));
  for (const s of card.selects ?? []) {
    lines.push(`  ${s.placeholder}`);
    for (const o of s.options) lines.push(numbered(o.label, s.action, o.value));
  }
  if (card.footer) lines.push(`  \x1b[2m${consoleText(card.footer)}\x1b[0m`);
  return lines.join('\n');
}
