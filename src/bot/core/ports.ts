import type { Card } from './cards.ts';

/**
 * The platform-neutral chat port (ARCHITECTURE.md example 1). Adapters (Slack, Discord, console)
 * turn platform payloads into `Incoming` events, validated, and render neutral cards.
 */
export type Platform = 'slack' | 'discord' | 'console';

export interface ThreadRef {
  platform: Platform;
  channel: string;
  /** Slack: the root message ts; Discord: the thread channel id; console: a counter. */
  thread: string;
  /**
   * The bot's root message of the thread, where it is not `thread` in `channel` (Discord: the
   * starter message lives in the parent channel). Reactions there reach the thread too.
   */
  rootMessage?: { channel: string; messageId: string };
}

/**
 * Thread ids are `platform:channel:thread` strings. This is only the framing: what a channel
 * and a thread look like on each platform is checked by that adapter's codec (its thread-id.ts),
 * which every ThreadRef an adapter makes or accepts goes through.
 */
export function encodeThreadId(ref: ThreadRef): string {
  for (const part of [ref.channel, ref.thread]) {
    if (!part || part.includes(':')) throw new Error(`invalid thread part "${part}"`);
  }
  return `${ref.platform}:${ref.channel}:${ref.thread}`;
}

export function decodeThreadId(id: string): ThreadRef {
  const m = /^(slack|discord|console):([^:]+):([^:]+)$/.exec(id);
  if (!m) throw new Error(`invalid thread id "${id}"`);
  return { platform: m[1] as Platform, channel: m[2]!, thread: m[3]! };
}

/** One platform's thread ids: `decode(encode(ref))` gives `ref` back (minus rootMessage). */
export interface ThreadIdCodec {
  readonly platform: Platform;
  encode(ref: ThreadRef): string;
  /** Throws a plain sentence when the id is not one of this platform's threads. */
  decode(id: string): ThreadRef;
}

/** A codec from the shapes of a platform's channel and thread parts. */
export function threadIdCodec(platform: Platform, parts: { channel: RegExp; thread: RegExp }): ThreadIdCodec {
  const check = (ref: ThreadRef): ThreadRef => {
    if (ref.platform !== platform) throw new Error(`not a ${platform} thread: ${ref.platform}`);
    if (!parts.channel.test(ref.channel)) throw new Error(`not a ${platform} channel id: "${ref.channel}"`);
    if (!parts.thread.test(ref.thread)) throw new Error(`not a ${platform} thread id: "${ref.thread}"`);
    return { platform, channel: ref.channel, thread: ref.thread };
  };
  return {
    platform,
    encode: (ref) => encodeThreadId(check(ref)),
    decode: (id) => check(decodeThreadId(id)),
  };
}

/**
 * Reactions the review rules understand. Adapters map platform names (Slack `white_check_mark`,
 * Discord `✅`) to these; anything else arrives as `other` (still a vote on a mood card).
 */
export type ReactionKind = 'approve' | 'regenerate' | 'cancel' | 'vote-1' | 'vote-2' | 'vote-3' | 'other';

interface Base {
  /** A platform-unique id of the delivery, used to drop re-sent duplicates. */
  eventId: string;
  user: string;
}

export interface CommandEvent extends Base {
  type: 'command';
  platform: Platform;
  channel: string;
  text: string;
}
export interface MessageEvent extends Base {
  type: 'message';
  thread: ThreadRef;
  text: string;
}
export interface ActionEvent extends Base {
  type: 'action';
  thread: ThreadRef;
  messageId: string;
  /** e.g. `mood.select`; see cards.ts ACTIONS. Unknown ids are answered, never trusted. */
  action: string;
  value: string;
}
export interface ReactionEvent extends Base {
  type: 'reaction';
  platform: Platform;
  channel: string;
  messageId: string;
  reaction: ReactionKind;
  /** The platform's own name, for messages. */
  raw: string;
  added: boolean;
}
export type Incoming = CommandEvent | MessageEvent | ActionEvent | ReactionEvent;

export interface UploadFile {
  path: string;
  filename: string;
  title: string;
  comment: string;
  /**
   * A short random token (delivery.ts) that must travel WITH the upload where the platform keeps
   * it and we can read it back later: the file name carries it on Slack and Discord. Neither has
   * an idempotency key for uploads, so after a crash `findUpload` looks for it in the thread.
   */
  nonce: string;
}

/**
 * Emoji reach the core as Unicode or as `:shortcode:` text; adapters rewrite any other platform
 * markup (Discord's `<:name:id>`) into shortcodes, so the core needs to know only this one form.
 */
export const EMOJI_SHORTCODE = /:[a-z0-9_+'-]{1,64}:/gi;

/**
 * Everything that talks INTO a chat. Built from credentials alone (no gateway, no socket), so
 * any process can post into a thread it knows by id: a worker on another machine can deliver a
 * video while the receiving process lives elsewhere (issue 11).
 */
export interface ChatSender {
  readonly platform: Platform;
  /** This platform's thread ids (the `platform:channel:thread` round trip). */
  readonly threadIds: ThreadIdCodec;
  /** Posts a card into the thread; returns the message id. */
  post(thread: ThreadRef, card: Card): Promise<string>;
  update(thread: ThreadRef, messageId: string, card: Card): Promise<void>;
  /** Only `user` sees it (Slack ephemeral, Discord ephemeral follow-up or a mention). */
  postPrivate(thread: ThreadRef, user: string, text: string): Promise<void>;
  /** Uploads into the thread; returns the platform's id of what was posted (see findUpload). */
  upload(thread: ThreadRef, file: UploadFile): Promise<string>;
  /**
   * Looks for an upload carrying `nonce` in the thread's recent history: how a delivery
   * interrupted by a crash learns whether the file already arrived. `messageId` is the same kind
   * of id `upload` returns (Slack: the file id; Discord: the message id). `sinceMs` is when the
   * intent was stored: adapters read only messages from shortly before it (Slack allows apps
   * outside its Marketplace 1 conversations.replies call a minute, 15 messages each).
   */
  findUpload(thread: ThreadRef, nonce: string, sinceMs?: number): Promise<{ messageId: string } | null>;
  /** Answers a command without opening a thread (`/adgen help`), seen by its sender. */
  answerCommand(command: CommandEvent, text: string): Promise<void>;
  /** Largest file the thread accepts, or null for no practical limit. */
  uploadLimitBytes(thread: ThreadRef): number | null;
}

/** Everything that listens: platform payloads in, validated `Incoming` events out. */
export interface ChatReceiver {
  readonly platform: Platform;
  start(handle: (event: Incoming) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
  /** Whether the live connection is up right now (ops /readyz); adapters that cannot tell omit it. */
  connected?(): boolean;
  /**
   * The bot's root message for a command, and the thread under it. Receiving side: on Discord
   * the root is the command's deferred reply, which only the live interaction can edit.
   */
  openThread(command: CommandEvent, card: Card): Promise<ThreadRef>;
}

/** Receiver and sender in one, for the process that does both (today's only deployment). */
export interface ChatAdapter extends ChatReceiver, ChatSender {}
