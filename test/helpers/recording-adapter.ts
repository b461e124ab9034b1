import { type Card, renderMentions } from '../../src/bot/core/cards.ts';
import {
  type ChatAdapter,
  type CommandEvent,
  type Incoming,
  type ThreadRef,
  threadIdCodec,
  type UploadFile,
} from '../../src/bot/core/ports.ts';

/** Like a platform adapter, it renders the core's mention tokens: here in Slack's `<@id>` form. */
const rendered = (text: string) => renderMentions(text, (user) => `<@${user}>`);
const renderCard = (card: Card): Card => ({
  ...card,
  text: rendered(card.text),
  ...(card.footer ? { footer: rendered(card.footer) } : {}),
});

export interface Posted {
  id: string;
  thread: string;
  card: Card;
  updates: Card[];
}

/**
 * An in-process ChatAdapter that records what the core does. Used to test the platform-neutral
 * core's logic; the real platform clients are tested against loopback fakes in test/slack.
 */
export function createRecordingAdapter(limitBytes: number | null = null) {
  let handler: ((e: Incoming) => Promise<void>) | undefined;
  let seq = 0;
  const posts: Posted[] = [];
  const privates: { user: string; text: string }[] = [];
  const uploads: (UploadFile & { thread: string })[] = [];
  const adapter: ChatAdapter = {
    platform: 'console',
    threadIds: threadIdCodec('console', { channel: /^C1$/, thread: /^t\d+$/ }),
    async start(h) {
      handler = h;
    },
    async stop() {},
    async openThread(_cmd: CommandEvent, card: Card) {
      const thread = `t${++seq}`;
      const ref: ThreadRef = {
        platform: 'console',
        channel: 'C1',
        thread,
        rootMessage: { channel: 'C1', messageId: `root${seq}` },
      };
      posts.push({ id: `root${seq}`, thread, card: renderCard(card), updates: [] });
      return ref;
    },
    async post(thread, card) {
      const id = `m${++seq}`;
      posts.push({ id, thread: thread.thread, card: renderCard(card), updates: [] });
      return id;
    },
    async update(_thread, id, card) {
      posts.find((p) => p.id === id)?.updates.push(renderCard(card));
    },
    async postPrivate(_thread, user, text) {
      privates.push({ user, text: rendered(text) });
    },
    async answerCommand(cmd, text) {
      privates.push({ user: cmd.user, text: rendered(text) });
    },
    async upload(thread, file) {
      uploads.push({ ...file, thread: thread.thread });
      return `f${++seq}`;
    },
    async findUpload(thread, nonce) {
      const i = uploads.findIndex((u) => u.thread === thread.thread && u.filename.includes(nonce));
      return i === -1 ? null : { messageId: `found-${i}` };
    },
    uploadLimitBytes: () => limitBytes,
  };
  let eventSeq = 0;
  const send = (e: Incoming) => handler!(e);
  const nextId = () => `e${++eventSeq}`;
  return {
    adapter,
    posts,
    privates,
    uploads,
    send,
    command: (user: string, text: string) =>
      send({ type: 'command', eventId: nextId(), platform: 'console', channel: 'C1', user, text }),
    say: (thread: string, user: string, text: string) =>
      send({
        type: 'message',
        eventId: nextId(),
        thread: { platform: 'console', channel: 'C1', thread },
        user,
        text,
      }),
    click: (thread: string, user: string, messageId: string, action: string, value: string) =>
      send({
        type: 'action',
        eventId: nextId(),
        thread: { platform: 'console', channel: 'C1', thread },
        user,
        messageId,
        action,
        value,
      }),
    react: (
      user: string,
      messageId: string,
      reaction: Incoming & { type: 'reaction' } extends infer R
        ? R extends { reaction: infer K }
          ? K
          : never
        : never,
      added = true,
    ) =>
      send({
        type: 'reaction',
        eventId: nextId(),
        platform: 'console',
        channel: 'C1',
        messageId,
        user,
        reaction,
        raw: String(reaction),
        added,
      }),
    last: (pred: (p: Posted) => boolean) => [...posts].reverse().find(pred),
    async waitFor<T>(
      fn: () => T | undefined | false | Promise<T | undefined | false>,
      timeoutMs = 60_000,
    ): Promise<T> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() > end) throw new Error('timed out waiting');
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
