import type { types } from '@slack/bolt';
import type { Card, CardButton, CardSelect } from '../core/cards.ts';
import { chunkMrkdwn, mrkdwn, truncate } from './text.ts';

type Block = types.KnownBlock;

/** Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks). Over any: invalid_blocks. */
export const LIMITS = {
  blocks: 50,
  actionsElements: 25,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  altText: 2000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  fallbackText: 3000,
} as const;

/** Long card text becomes at most this many sections before it is cut. */
const MAX_TEXT_SECTIONS = 4;

/** Local image path -> Slack file id of its upload (see files.ts). */
export type ImageRefs = ReadonlyMap<string, string>;

export interface SlackMessage {
  /** Notification / accessibility fallback; Slack shows it where blocks cannot be rendered. */
  text: string;
  blocks: Block[];
}

/**
 * Slack needs action_ids unique within a message, but a card has one Select button per mood, so
 * each id gets a `:n` suffix that `decodeActionId` strips again. The core only sees the action.
 */
export function encodeActionId(action: string, suffix: string | number): string {
  return truncate(`${action}:${suffix}`, LIMITS.actionId);
}

export function decodeActionId(actionId: string): string {
  return actionId.replace(/:[A-Za-z0-9]+$/, '');
}

const HEX = /^#?[0-9a-f]{6}$|^#?[0-9a-f]{3}$/i;

function button(b: CardButton, index: number): types.Button {
  const el: types.Button = {
    type: 'button',
    action_id: encodeActionId(b.action, index),
    text: { type: 'plain_text', text: truncate(b.label.trim() || b.action, LIMITS.buttonText), emoji: true },
    value: truncate(b.value, LIMITS.buttonValue),
  };
  if (b.style) el.style = b.style;
  // Block Kit's confirmation dialog object: Slack asks before the click is sent to us.
  if (b.confirm)
    el.confirm = {
      title: { type: 'plain_text', text: truncate(b.confirm.title, 100) },
      text: { type: 'plain_text', text: truncate(b.confirm.text, 300) },
      confirm: { type: 'plain_text', text: truncate(b.confirm.yes, 30) },
      deny: { type: 'plain_text', text: truncate(b.confirm.no, 30) },
      ...(b.style === 'danger' ? { style: 'danger' as const } : {}),
    };
  return el;
}

function select(s: CardSelect): types.StaticSelect {
  return {
    type: 'static_select',
    action_id: encodeActionId(s.action, 's'),
    placeholder: { type: 'plain_text', text: truncate(s.placeholder || 'Choose…', LIMITS.placeholder) },
    options: s.options.slice(0, LIMITS.selectOptions).map((o) => ({
      text: { type: 'plain_text', text: truncate(o.label.trim() || o.value, LIMITS.optionText) },
      value: truncate(o.value, LIMITS.optionValue),
    })),
  };
}

const context = (text: string): Block => ({
  type: 'context',
  elements: [{ type: 'mrkdwn', text }],
});

function contentBlocks(card: Card, images: ImageRefs): Block[] {
  const blocks: Block[] = [];
  if (card.title?.trim()) {
    const text = truncate(card.title.trim(), LIMITS.headerText);
    blocks.push({ type: 'header', text: { type: 'plain_text', text, emoji: true } });
  }
  for (const chunk of chunkMrkdwn(card.text, LIMITS.sectionText, MAX_TEXT_SECTIONS)) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  }
  const fields = card.fields ?? [];
  for (let i = 0; i < fields.length; i += LIMITS.sectionFields) {
    blocks.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.sectionFields).map((f) => ({
        type: 'mrkdwn' as const,
        text: mrkdwn(`*${f.label}*\n${f.value}`, LIMITS.fieldText),
      })),
    });
  }
  // Block Kit has no colour element: the palette is shown as hex codes (validated, so no markup).
  const swatches = (card.palette ?? []).filter((c) => HEX.test(c)).map((c) => `\`${c.replace(/^#?/, '#')}\``);
  if (swatches.length) blocks.push(context(`🎨 ${swatches.join('  ')}`));
  for (const img of card.images ?? []) {
    const id = images.get(img.path);
    const alt = truncate(img.alt.trim() || 'image', LIMITS.altText);
    if (id) blocks.push({ type: 'image', slack_file: { id }, alt_text: alt });
    else blocks.push(context(mrkdwn(`🖼 ${alt} (image not available)`, LIMITS.contextText)));
  }
  return blocks;
}

function controlBlocks(card: Card): Block[] {
  const blocks: Block[] = [];
  const buttons = (card.buttons ?? []).map(button);
  for (let i = 0; i < buttons.length; i += LIMITS.actionsElements) {
    blocks.push({ type: 'actions', elements: buttons.slice(i, i + LIMITS.actionsElements) });
  }
  for (const s of card.selects ?? []) {
    if (s.options.length > 0) blocks.push({ type: 'actions', elements: [select(s)] });
  }
  if (card.footer?.trim()) blocks.push(context(mrkdwn(card.footer.trim(), LIMITS.contextText)));
  return blocks;
}

/**
 * Renders a neutral card as Block Kit. Pure: images must already be uploaded (`imageRefs`).
 * Over 50 blocks, content is cut before controls, so the card's buttons always survive.
 */
export function cardToBlockKit(card: Card, imageRefs: ImageRefs = new Map()): SlackMessage {
  let content = contentBlocks(card, imageRefs);
  const controls = controlBlocks(card).slice(0, LIMITS.blocks);
  if (content.length + controls.length > LIMITS.blocks) {
    const room = Math.max(0, LIMITS.blocks - 1 - controls.length);
    const omitted = content.length - room;
    content = [...content.slice(0, room), context(`…${omitted} more block(s) not shown`)];
  }
  const blocks = [...content, ...controls].slice(0, LIMITS.blocks);
  const fallback = [card.title?.trim(), card.text.trim()].filter(Boolean).join('\n') || 'adgen';
  return { text: mrkdwn(fallback, LIMITS.fallbackText), blocks };
}
