import fs from 'node:fs';
import { type APIMessage, type APIUser, type RawFile, REST, Routes } from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { registerSecrets } from '../../redact.ts';
import { nameWithNonce } from '../core/delivery.ts';
import type { ChatSender, ThreadRef } from '../core/ports.ts';
import {
  allowedMentions,
  cardToDiscord,
  clip,
  type DiscordMessage,
  discordText,
  LIMITS,
} from './components.ts';
import { discordError, isTooLarge, tooLargeError } from './errors.ts';
import { findAttachmentInChannel } from './history.ts';
import { safeFilename } from './ids.ts';
import { createMemoryLimitStore, type UploadLimitStore } from './limit-store.ts';
import { DEFAULT_UPLOAD_LIMIT } from './limits.ts';
import { createImageMemory } from './messages.ts';
import { discordThreadIds } from './thread-id.ts';

export interface DiscordSenderOptions {
  /** The REST client to use (the receiver shares its gateway client's); by default one from the token. */
  rest?: REST;
  limitStore?: UploadLimitStore;
  /** The bot's user id where the gateway already knows it; otherwise asked once (GET /users/@me). */
  botId?: () => string | undefined;
  /** A limit for channels no interaction told us about (the receiver reads the guild's boost tier). */
  channelLimit?: (channelId: string) => number | undefined;
}

export type DiscordSender = ChatSender & {
  /** Posts a rendered message into any channel the bot can write to. */
  send(channelId: string, body: Record<string, unknown>, files?: RawFile[]): Promise<APIMessage>;
};

/** Everything the bot sends to Discord, over REST with the bot token: no gateway connection. */
export function createDiscordSender(
  config: Pick<DiscordConfig, 'token' | 'apiUrl'>,
  opts: DiscordSenderOptions = {},
): DiscordSender {
  const rest =
    opts.rest ?? new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}) }).setToken(config.token);
  const secrets = [config.token];
  // A sender may live in a process without the adapter: its token joins the redaction list here.
  registerSecrets(config.token);
  const limits = opts.limitStore ?? createMemoryLimitStore();
  const images = createImageMemory();
  let me: Promise<string> | undefined;

  async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw discordError(err, what, secrets);
    }
  }
  const channelOf = (ref: ThreadRef) => discordThreadIds.decode(discordThreadIds.encode(ref)).channel;

  async function payload(m: DiscordMessage, keepAttachments = false) {
    const files: RawFile[] = await Promise.all(
      m.files.map(async (f) => ({ name: f.name, data: await fs.promises.readFile(f.attachment) })),
    );
    // `attachments` lists what the message keeps: new files by their index in `files`.
    const attachments = m.files.map((f, id) => ({ id, filename: f.name, description: f.description }));
    const body = {
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      allowed_mentions: allowedMentions(m.mentions),
      ...(keepAttachments ? {} : { attachments }),
    };
    return { body, files };
  }

  const send = (channelId: string, body: Record<string, unknown>, files: RawFile[] = []) =>
    rest.post(Routes.channelMessages(channelId), { body, files }) as Promise<APIMessage>;

  function uploadLimitBytes(thread: ThreadRef): number {
    return limits.get(thread.channel) ?? opts.channelLimit?.(thread.channel) ?? DEFAULT_UPLOAD_LIMIT;
  }

  async function mentionIn(channelId: string, user: string, text: string) {
    const content = clip(`<@${user}> ${discordText(text)}`, LIMITS.content);
    await guarded('post a message', () =>
      send(channelId, { content, allowed_mentions: allowedMentions([user]) }),
    );
  }

  const botId = () => {
    const known = opts.botId?.();
    if (known) return Promise.resolve(known);
    me ??= (rest.get(Routes.user()) as Promise<APIUser>).then((u) => u.id);
    return me;
  };

  return {
    platform: 'discord',
    threadIds: discordThreadIds,
    send,
    async post(thread, card) {
      const rendered = cardToDiscord(card);
      const { body, files } = await payload(rendered);
      const sent = await guarded('post a message', () => send(channelOf(thread), body, files));
      images.remember(sent, rendered);
      return sent.id;
    },
    async update(thread, messageId, card) {
      const rendered = cardToDiscord(card);
      const { message, keepAttachments } = images.forEdit(messageId, rendered);
      const { body, files } = await payload(message, keepAttachments);
      const route = Routes.channelMessage(channelOf(thread), messageId);
      const edited = await guarded(
        'edit a message',
        () => rest.patch(route, { body, files }) as Promise<APIMessage>,
      );
      images.remember(edited, rendered);
    },
    async deleteMessage(thread, messageId) {
      await guarded('delete a message', () =>
        rest.delete(Routes.channelMessage(channelOf(thread), messageId)),
      );
    },
    // Without a live interaction there is no ephemeral message: a mention reaches only that user's attention.
    postPrivate: (thread, user, text) => mentionIn(channelOf(thread), user, text),
    answerCommand: (command, text) => mentionIn(command.channel, command.user, text),
    async upload(thread, file) {
      const size = (await fs.promises.stat(file.path)).size;
      const name = safeFilename(nameWithNonce(file.filename, file.nonce), `video-${file.nonce}.mp4`);
      // Extras (the captions) are more attachments of the same message.
      const extras = (file.extras ?? []).map((e) => ({
        path: e.path,
        name: safeFilename(nameWithNonce(e.filename, file.nonce), `captions-${file.nonce}.srt`),
      }));
      const body = {
        content: clip(discordText(file.comment), LIMITS.content),
        attachments: [
          { id: 0, filename: name, description: clip(file.title, 1024) },
          ...extras.map((e, i) => ({ id: i + 1, filename: e.name })),
        ],
        allowed_mentions: allowedMentions([]),
      };
      try {
        const sent = await send(channelOf(thread), body, [
          { name, data: await fs.promises.readFile(file.path) },
          ...(await Promise.all(
            extras.map(async (e) => ({ name: e.name, data: await fs.promises.readFile(e.path) })),
          )),
        ]);
        return sent.id;
      } catch (err) {
        if (isTooLarge(err)) throw tooLargeError(size, uploadLimitBytes(thread));
        throw discordError(err, 'upload the video', secrets);
      }
    },
    async findUpload(thread, nonce, sinceMs) {
      const channel = channelOf(thread);
      const q = { botId: await guarded('find the bot user', botId), nonce, sinceMs };
      const page = (query: URLSearchParams) =>
        rest.get(Routes.channelMessages(channel), { query }) as Promise<APIMessage[]>;
      return guarded('read the thread', () => findAttachmentInChannel(page, q));
    },
    uploadLimitBytes,
  };
}
