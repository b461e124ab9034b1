import path from 'node:path';
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { type Card, type CardButton, mentionedUsers, renderMentions } from '../core/cards.ts';
import { encodeCustomId, safeFilename } from './ids.ts';

/** Discord's documented message limits (embed and component reference pages). */
export const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  /** The sum of every title, description, field and footer across the message's embeds. */
  embedTotal: 6000,
  embeds: 10,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectPlaceholder: 150,
  optionText: 100,
} as const;

export interface DiscordFile {
  /** A local path; discord.js reads it when sending. */
  attachment: string;
  name: string;
  description?: string;
}

export interface DiscordMessage {
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  files: DiscordFile[];
  /** Users the core mentioned: the only ones `allowed_mentions` lets this message ping. */
  mentions: string[];
}

/** The core's mention tokens (cards.ts) as Discord `<@id>`; other ids stay plain text. */
export const discordText = (text: string) =>
  renderMentions(text, (user) => (/^\d{15,21}$/.test(user) ? `<@${user}>` : `@${user}`));

/** Only mentions the core made ping anyone; `<@id>` typed by a user shows but stays silent. */
export const allowedMentions = (users: string[]) => ({ parse: [] as [], users });

function withMentionsRendered(card: Card): { card: Card; mentions: string[] } {
  const texts = [card.text, card.footer ?? '', ...(card.fields ?? []).map((f) => f.value)];
  const mentions = [...new Set(texts.flatMap(mentionedUsers))].filter((u) => /^\d{15,21}$/.test(u));
  const rendered: Card = {
    ...card,
    text: discordText(card.text),
    ...(card.footer ? { footer: discordText(card.footer) } : {}),
    ...(card.fields ? { fields: card.fields.map((f) => ({ ...f, value: discordText(f.value) })) } : {}),
  };
  return { card: rendered, mentions };
}

export const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

function colour(palette: string[] | undefined): number | undefined {
  const hex = palette?.[0]?.replace('#', '');
  return hex && /^[0-9a-f]{6}$/i.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/** A card with nothing but text is a plain message: reads best and keeps mentions working. */
function isPlain(card: Card): boolean {
  return (
    !card.title &&
    !card.fields?.length &&
    !card.images?.length &&
    !card.palette?.length &&
    !card.footer &&
    card.text.length <= LIMITS.content
  );
}

function button(b: CardButton): APIButtonComponentWithCustomId {
  const style =
    b.style === 'primary'
      ? ButtonStyle.Primary
      : b.style === 'danger'
        ? ButtonStyle.Danger
        : ButtonStyle.Secondary;
  return {
    type: ComponentType.Button,
    style,
    label: clip(b.label, LIMITS.buttonLabel),
    custom_id: encodeCustomId(b.action, b.value),
  };
}

function components(card: Card): DiscordMessage['components'] {
  const rows: DiscordMessage['components'] = [];
  const selects = (card.selects ?? []).filter((s) => s.options.length > 0).slice(0, LIMITS.rows - 1);
  const selectRows = selects.length;
  // custom_id must be unique within a message, or Discord rejects the whole message.
  const seen = new Set<string>();
  const buttons = (card.buttons ?? [])
    .map(button)
    .filter((b) => !seen.has(b.custom_id) && seen.add(b.custom_id));
  for (let i = 0; i < buttons.length && rows.length < LIMITS.rows - selectRows; i += LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + LIMITS.buttonsPerRow) });
  }
  for (const select of selects) {
    // A select menu fills a whole action row on its own (components reference).
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: encodeCustomId(select.action),
          placeholder: clip(select.placeholder, LIMITS.selectPlaceholder),
          min_values: 1,
          max_values: 1,
          options: select.options.slice(0, LIMITS.selectOptions).map((o) => ({
            label: clip(o.label, LIMITS.optionText),
            value: o.value.slice(0, LIMITS.optionText),
          })),
        },
      ],
    });
  }
  return rows;
}

/**
 * Budget-aware text: keeps the sum over all embeds under Discord's 6000-character cap. Returns ''
 * once the budget is spent, so optional parts (fields, image captions) are left out.
 */
function budget() {
  let left = LIMITS.embedTotal;
  return (text: string, max: number): string => {
    if (left < 1) return '';
    const out = clip(text, Math.min(max, left));
    left -= out.length;
    return out;
  };
}

/**
 * Renders a neutral card as a Discord message. Discord shows one image per embed, so a card with
 * several images (mood samples, 5-7 storyboard scenes) gets one embed per image after the main
 * one, each pointing at its uploaded file via `attachment://name` (at most 10 embeds).
 */
export function cardToDiscord(neutral: Card): DiscordMessage {
  const { card, mentions } = withMentionsRendered(neutral);
  const rows = components(card);
  if (isPlain(card)) return { content: card.text, embeds: [], components: rows, files: [], mentions };
  const take = budget();
  const color = colour(card.palette);
  const images = (card.images ?? []).slice(0, LIMITS.embeds);
  const files: DiscordFile[] = images.map((img, i) => ({
    attachment: img.path,
    name: safeFilename(
      `image-${i + 1}${path.extname(img.path).toLowerCase() || '.png'}`,
      `image-${i + 1}.png`,
    ),
    description: clip(img.alt, 1024),
  }));
  const main: APIEmbed = {};
  if (card.title) main.title = take(card.title, LIMITS.title);
  // Taken early: the footer (votes, approvals) matters more than the tail of a long description.
  const footer = card.footer ? take(card.footer, LIMITS.footer) : '';
  const description = card.text ? take(card.text, LIMITS.description) : '';
  if (description) main.description = description;
  if (color !== undefined) main.color = color;
  const fields = [];
  for (const f of (card.fields ?? []).slice(0, LIMITS.fields)) {
    const name = take(f.label || '\u200b', LIMITS.fieldName);
    // Discord rejects empty field values; a zero-width space keeps the label visible.
    const value = name && take(f.value || '\u200b', LIMITS.fieldValue);
    if (!value) break;
    fields.push({ name, value, inline: f.value.length <= 40 });
  }
  if (fields.length) main.fields = fields;
  const embeds: APIEmbed[] = [main];
  if (files.length === 1) main.image = { url: `attachment://${files[0]!.name}` };
  else if (files.length > 1) {
    const room = LIMITS.embeds - 1;
    for (const [i, f] of files.slice(0, room).entries()) {
      const e: APIEmbed = { image: { url: `attachment://${f.name}` } };
      const alt = take(images[i]!.alt, 200);
      if (alt) e.description = alt;
      if (color !== undefined) e.color = color;
      embeds.push(e);
    }
    files.splice(room);
  }
  // Discord rejects an embed with nothing to show (a card of images only has an empty main one).
  const shown = embeds.filter((e) => e.title || e.description || e.fields || e.image);
  if (!shown.length) shown.push({ description: '\u200b' });
  // The footer (votes, approvals) belongs under the images, so it goes on the last embed.
  if (footer) shown.at(-1)!.footer = { text: footer };
  return { content: '', embeds: shown, components: rows, files, mentions };
}
