import {
  type ChatInputCommandInteraction,
  type Message,
  type MessageComponentInteraction,
  type MessageReaction,
  MessageType,
  type PartialMessage,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { z } from 'zod';
import { brandScope } from '../../pipeline/brand.ts';
import { reactionFromEmoji } from '../core/emoji.ts';
import type { ActionEvent, CommandEvent, MessageEvent, ReactionEvent } from '../core/ports.ts';
import { parseComponent, threadRef } from './ids.ts';

/** The slash command's one option; Discord enforces our registered max_length, we check again. */
const Idea = z.string().max(2000);

export function commandEvent(i: ChatInputCommandInteraction): CommandEvent {
  // Read the raw option rather than options.getString(), which throws on a mistyped option.
  const raw = i.options.data.find((o) => o.name === 'idea')?.value;
  const idea = Idea.safeParse(raw);
  return {
    type: 'command',
    eventId: i.id,
    platform: 'discord',
    channel: i.channelId,
    user: i.user.id,
    text: idea.success ? idea.data : '',
    // A brand kit is per server (guild); so is the budget.
    ...(i.guildId
      ? { scope: brandScope('discord', { guild: i.guildId }), workspace: `discord:${i.guildId}` }
      : {}),
  };
}

export function actionEvent(i: MessageComponentInteraction): ActionEvent {
  const { action, value } = parseComponent(i.customId, i.isStringSelectMenu() ? i.values : undefined);
  return {
    type: 'action',
    eventId: i.id,
    thread: threadRef(i.channelId),
    user: i.user.id,
    messageId: i.message.id,
    action,
    value,
  };
}

/** A human's message inside a thread; everything else (bots, system notices) is not a turn. */
export function messageEvent(
  m: Message | PartialMessage,
  botId: string | undefined,
): MessageEvent | undefined {
  if (m.partial || !m.inGuild() || m.author.bot || m.webhookId || m.author.id === botId) return undefined;
  if (m.type !== MessageType.Default && m.type !== MessageType.Reply) return undefined;
  // An uncached channel has no known type; the core ignores threads it does not know anyway.
  if (m.channel && !m.channel.partial && !m.channel.isThread()) return undefined;
  // A logo uploaded when the bot asked for one: the attachment is the message.
  const files = [...m.attachments.values()].slice(0, 10).map((a) => ({
    id: a.id,
    name: a.name,
    sizeBytes: a.size,
    url: a.url,
  }));
  if (!m.content.trim() && !files.length) return undefined;
  return {
    type: 'message',
    eventId: m.id,
    thread: threadRef(m.channelId),
    user: m.author.id,
    text: customEmojiAsShortcodes(m.content),
    ...(files.length ? { files } : {}),
  };
}

/** `<:coffee:123>` / `<a:party:456>` -> `:coffee:`: the core's one emoji form (ports.ts). */
export function customEmojiAsShortcodes(text: string): string {
  return text.replace(/<a?:(\w{1,32}):\d{1,20}>/g, ':$1:');
}

let reactionSeq = 0;

/**
 * Reactions have no delivery id; a toggle (add, remove, add) must not look like a re-sent
 * duplicate to the core's dedupe, so every delivery gets its own id.
 */
export function reactionEvent(
  r: MessageReaction | PartialMessageReaction,
  u: User | PartialUser,
  added: boolean,
  botId: string | undefined,
): ReactionEvent | undefined {
  if (u.id === botId || u.bot) return undefined;
  const name = r.emoji.name ?? '';
  const raw = r.emoji.id ? `<:${name}:${r.emoji.id}>` : name;
  if (!raw) return undefined;
  return {
    type: 'reaction',
    eventId: `${r.message.id}:${u.id}:${raw}:${added ? 'add' : 'remove'}:${Date.now()}-${++reactionSeq}`,
    platform: 'discord',
    channel: r.message.channelId,
    messageId: r.message.id,
    user: u.id,
    // Custom emoji never map to a review meaning: only their unicode name would, and they have none.
    reaction: r.emoji.id ? 'other' : reactionFromEmoji(name),
    raw,
    added,
  };
}
