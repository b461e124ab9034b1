import { z } from 'zod';
import { brandScope } from '../../pipeline/brand.ts';
import type { Incoming, IncomingFile, ThreadRef } from '../core/ports.ts';
import { decodeActionId } from './blocks.ts';
import { reactionKind } from './reactions.ts';
import { unescapeSlack } from './text.ts';

/**
 * Slack payloads -> neutral events, validated with zod (ARCHITECTURE.md example 8). Ids are
 * checked against Slack's shapes because they end up inside `slack:channel:ts` thread ids.
 */
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const ts = z.string().regex(/^\d{1,12}\.\d{1,8}$/);
const text = z.string().max(40_000);

const CommandBody = z.object({
  command: z.string(),
  team_id: id.optional(),
  text: text.default(''),
  user_id: id,
  channel_id: id,
  trigger_id: z.string().min(1).max(200),
});

const ButtonAction = z.object({
  type: z.literal('button'),
  action_id: z.string().min(1).max(255),
  value: z.string().max(2000).default(''),
  action_ts: z.string().min(1).max(40),
});
const SelectAction = z.object({
  type: z.literal('static_select'),
  action_id: z.string().min(1).max(255),
  selected_option: z.object({ value: z.string().max(150) }),
  action_ts: z.string().min(1).max(40),
});
const ActionBody = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id }),
  container: z
    .object({ message_ts: ts.optional(), channel_id: id.optional(), thread_ts: ts.optional() })
    .optional(),
  channel: z.object({ id }).optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  actions: z.array(z.discriminatedUnion('type', [ButtonAction, SelectAction])).min(1),
});

const EventEnvelope = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(100).optional(),
  event: z.looseObject({ type: z.string() }),
});
/** A file in a `file_share` message (Slack docs: file object); only what the bot reads. */
const SharedFile = z.object({
  id,
  name: z.string().max(500).default('file'),
  size: z.number().int().nonnegative().optional(),
  url_private_download: z.string().url().max(2000).optional(),
  url_private: z.string().url().max(2000).optional(),
});
const MessageEventBody = z.object({
  files: z.array(SharedFile).max(20).optional(),
  type: z.literal('message'),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user: id.optional(),
  text: text.default(''),
  ts,
  thread_ts: ts.optional(),
  channel: id,
});
const ReactionEventBody = z.object({
  type: z.enum(['reaction_added', 'reaction_removed']),
  user: id,
  reaction: z.string().min(1).max(100),
  item: z.object({ type: z.string(), channel: id.optional(), ts: ts.optional() }),
});

export type ParseResult =
  | { kind: 'event'; event: Incoming }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; what: string; issues: string[] };

export interface ParseOptions {
  /** The slash command this app owns (manifest: `/adgen`). */
  command: string;
  /** The bot's own user id: its messages and reactions never become events. */
  botUserId?: string;
}

const issuesOf = (e: z.ZodError) =>
  e.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
const invalid = (what: string, e: z.ZodError): ParseResult => ({
  kind: 'invalid',
  what,
  issues: issuesOf(e),
});
const ignored = (reason: string): ParseResult => ({ kind: 'ignored', reason });
const thread = (channel: string, threadTs: string): ThreadRef => ({
  platform: 'slack',
  channel,
  thread: threadTs,
});

function sharedFiles(files: z.infer<typeof SharedFile>[]): IncomingFile[] {
  return files.flatMap((f) => {
    const url = f.url_private_download ?? f.url_private;
    return url ? [{ id: f.id, name: f.name, sizeBytes: f.size, url }] : [];
  });
}

function parseCommand(body: unknown, opts: ParseOptions): ParseResult {
  const r = CommandBody.safeParse(body);
  if (!r.success) return invalid('command', r.error);
  const c = r.data;
  if (c.command !== opts.command) return ignored(`command ${c.command.slice(0, 40)}`);
  const event = { type: 'command', platform: 'slack', eventId: c.trigger_id, user: c.user_id } as const;
  // A brand kit belongs to a workspace AND channel: channel ids are only unique per workspace.
  const scope = brandScope('slack', { team: c.team_id, channel: c.channel_id });
  return {
    kind: 'event',
    event: {
      ...event,
      channel: c.channel_id,
      text: unescapeSlack(c.text),
      scope,
      ...(c.team_id ? { workspace: `slack:${c.team_id}` } : {}),
    },
  };
}

function parseAction(body: unknown): ParseResult {
  const r = ActionBody.safeParse(body);
  if (!r.success) return invalid('block_actions', r.error);
  const b = r.data;
  const a = b.actions[0]!;
  const channel = b.container?.channel_id ?? b.channel?.id;
  const threadTs = b.container?.thread_ts ?? b.message?.thread_ts ?? b.message?.ts ?? b.container?.message_ts;
  const messageId = b.container?.message_ts ?? b.message?.ts;
  if (!channel || !threadTs || !messageId) return ignored('action outside a message thread');
  const value = a.type === 'button' ? a.value : a.selected_option.value;
  return {
    kind: 'event',
    event: {
      type: 'action',
      eventId: `${a.action_ts}:${b.user.id}:${a.action_id}`,
      user: b.user.id,
      thread: thread(channel, threadTs),
      messageId,
      action: decodeActionId(a.action_id),
      value,
    },
  };
}

function parseEvent(body: unknown, opts: ParseOptions): ParseResult {
  const env = EventEnvelope.safeParse(body);
  if (!env.success) return invalid('event_callback', env.error);
  const { event_id: eventId, event } = env.data;
  if (event.type === 'message') {
    const r = MessageEventBody.safeParse(event);
    if (!r.success) return invalid('message', r.error);
    const m = r.data;
    // Edits, joins, bot posts etc. arrive as subtypes; a broadcast thread reply is still a reply,
    // and a file shared in the thread (a logo the bot asked for) is a reply with files.
    if (m.subtype && m.subtype !== 'thread_broadcast' && m.subtype !== 'file_share')
      return ignored(`message subtype ${m.subtype}`);
    if (m.bot_id || !m.user || m.user === opts.botUserId) return ignored('bot message');
    if (!m.thread_ts || m.thread_ts === m.ts) return ignored('not a thread reply');
    return {
      kind: 'event',
      event: {
        type: 'message',
        eventId: eventId ?? `${m.channel}:${m.ts}`,
        user: m.user,
        thread: thread(m.channel, m.thread_ts),
        text: unescapeSlack(m.text),
        ...(m.files?.length ? { files: sharedFiles(m.files) } : {}),
      },
    };
  }
  if (event.type === 'reaction_added' || event.type === 'reaction_removed') {
    const r = ReactionEventBody.safeParse(event);
    if (!r.success) return invalid(event.type, r.error);
    const e = r.data;
    if (e.item.type !== 'message' || !e.item.channel || !e.item.ts)
      return ignored('reaction on a non-message');
    if (e.user === opts.botUserId) return ignored('own reaction');
    const added = e.type === 'reaction_added';
    return {
      kind: 'event',
      event: {
        type: 'reaction',
        eventId: eventId ?? `${e.item.channel}:${e.item.ts}:${e.user}:${e.reaction}:${added}`,
        user: e.user,
        platform: 'slack',
        channel: e.item.channel,
        messageId: e.item.ts,
        reaction: reactionKind(e.reaction),
        raw: e.reaction,
        added,
      },
    };
  }
  return ignored(`event ${event.type.slice(0, 40)}`);
}

/** Any body Bolt hands us (command, interaction or Events API callback). Never throws. */
export function parseSlackBody(body: unknown, opts: ParseOptions): ParseResult {
  if (typeof body !== 'object' || body === null) return ignored('not an object');
  const b = body as Record<string, unknown>;
  if (typeof b.command === 'string') return parseCommand(body, opts);
  if (b.type === 'block_actions') return parseAction(body);
  if (b.type === 'event_callback') return parseEvent(body, opts);
  return ignored(`payload type ${String(b.type).slice(0, 40)}`);
}
