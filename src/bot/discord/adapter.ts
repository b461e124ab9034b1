import fs from 'node:fs';
import {
  ChannelType,
  type Client,
  Events,
  type Interaction,
  MessageFlags,
  type SendableChannels,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { errorMessage } from '../../errors.ts';
import { redact, registerSecrets } from '../../redact.ts';
import type { Card } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import { nameWithNonce } from '../core/delivery.ts';
import type { ChatAdapter, CommandEvent, Incoming, ThreadRef } from '../core/ports.ts';
import { silentLogger } from '../logger.ts';
import { createDiscordClient } from './client.ts';
import { cardToDiscord, clip, type DiscordMessage, LIMITS } from './components.ts';
import { discordError, isTooLarge, tooLargeError } from './errors.ts';
import { actionEvent, commandEvent, messageEvent, reactionEvent } from './events.ts';
import { findAttachmentInChannel } from './history.ts';
import { safeFilename, threadRef } from './ids.ts';
import { createInteractionRegistry } from './interactions.ts';
import { createMemoryLimitStore, type UploadLimitStore } from './limit-store.ts';
import { limitFromChannel } from './limits.ts';
import { createImageMemory } from './messages.ts';
import { COMMAND_NAME } from './register.ts';

export interface DiscordAdapterOptions {
  log?: Logger;
  /** A prepared client (tests); by default one is made from the config. */
  client?: Client;
  /** Where `attachment_size_limit` per channel survives a restart; memory only by default. */
  limitStore?: UploadLimitStore;
}

export type DiscordAdapter = ChatAdapter & { readonly client: Client };

const sendBody = (m: DiscordMessage) => ({
  ...(m.content ? { content: m.content } : {}),
  embeds: m.embeds,
  components: m.components,
  files: m.files,
});

/** The Discord side of the bot: discord.js over the gateway, one thread per `/adgen`. */
export function createDiscordAdapter(
  config: DiscordConfig,
  opts: DiscordAdapterOptions = {},
): DiscordAdapter {
  const log = opts.log ?? silentLogger;
  const client = opts.client ?? createDiscordClient(config);
  const secrets = [config.token];
  registerSecrets(config.token);
  const live = createInteractionRegistry();
  const images = createImageMemory();
  /** Per thread channel: `attachment_size_limit` as Discord last told us in an interaction. */
  const limits = opts.limitStore ?? createMemoryLimitStore();
  const safe = (err: unknown) => redact(errorMessage(err), secrets);

  async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw discordError(err, what, secrets);
    }
  }

  async function sendable(id: string): Promise<SendableChannels> {
    const channel = client.channels.cache.get(id) ?? (await client.channels.fetch(id));
    if (!channel?.isSendable()) throw new Error(`channel ${id} is not a text channel I can post in`);
    return channel;
  }

  function noteLimit(channelId: string, limit: number | undefined) {
    if (typeof limit === 'number' && limit > 0) limits.set(channelId, limit);
  }

  async function onInteraction(i: Interaction, handle: (e: Incoming) => Promise<void>) {
    // A redelivered interaction (same id) must not be acked again: Discord answers 40060.
    if (!live.firstSight(i.id)) return;
    if (i.isChatInputCommand()) {
      if (i.commandName !== COMMAND_NAME) return;
      // Discord's 3-second rule: acknowledge before anything else can delay us.
      await i.deferReply();
      if (!i.inGuild() || i.channel?.isThread()) {
        await i.editReply('Run /adgen in a server text channel: I open a thread there for the ad.');
        return;
      }
      live.awaitThread(i);
      noteLimit(i.channelId, i.attachmentSizeLimit);
      await handle(commandEvent(i));
      // The core answers every command by opening a thread; if it could not, say so.
      if (live.takeCommand(i.id)) await i.editReply('Sorry, I could not start this ad. Please try again.');
      return;
    }
    if (i.isMessageComponent()) {
      // Acknowledge every click (else Discord shows "interaction failed"); the core answers
      // components it does not know, so even odd ones become actions.
      await i.deferUpdate();
      live.clicked(i);
      noteLimit(i.channelId, i.attachmentSizeLimit);
      await handle(actionEvent(i));
    }
  }

  function listen(handle: (e: Incoming) => Promise<void>) {
    const run = (what: string, work: () => Promise<unknown>) =>
      void work().catch((err) => log.warn('discord event failed', { what, error: safe(err) }));
    client.on(Events.InteractionCreate, (i) => run('interaction', () => onInteraction(i, handle)));
    client.on(Events.MessageCreate, (m) => {
      const e = messageEvent(m, client.user?.id);
      if (e) run('message', () => handle(e));
    });
    client.on(Events.MessageReactionAdd, (r, u) => {
      const e = reactionEvent(r, u, true, client.user?.id);
      if (e) run('reaction', () => handle(e));
    });
    client.on(Events.MessageReactionRemove, (r, u) => {
      const e = reactionEvent(r, u, false, client.user?.id);
      if (e) run('reaction', () => handle(e));
    });
    client.on(Events.Error, (err) => log.error('discord client error', { error: safe(err) }));
    client.on(Events.Warn, (msg) => log.warn('discord client warning', { message: redact(msg, secrets) }));
  }

  async function openThread(command: CommandEvent, card: Card): Promise<ThreadRef> {
    const rendered = cardToDiscord(card);
    const i = live.takeCommand(command.eventId);
    // The deferred reply becomes the root card; without a live interaction (a replayed command)
    // the root is a plain channel message instead.
    const root = i
      ? await guarded('show the first card', () => i.editReply(sendBody(rendered)))
      : await guarded('post the first card', async () =>
          (await sendable(command.channel)).send(sendBody(rendered)),
        );
    const parent = await guarded('find the channel', () => client.channels.fetch(root.channelId));
    if (parent?.type !== ChannelType.GuildText && parent?.type !== ChannelType.GuildAnnouncement)
      throw new Error('threads can only be started in a server text channel');
    const name = clip(`🎬 ${command.text.trim() || 'New video ad'}`, 100);
    // From here on only normal bot messages: the interaction token dies after 15 minutes.
    const thread = await guarded('open a thread', () =>
      parent.threads.create({
        startMessage: root.id,
        name,
        autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
      }),
    );
    noteLimit(thread.id, i?.attachmentSizeLimit ?? limits.get(parent.id));
    log.info('discord thread opened', { thread: thread.id, channel: parent.id });
    return threadRef(thread.id);
  }

  function uploadLimitBytes(thread: ThreadRef): number {
    return limits.get(thread.channel) ?? limitFromChannel(client.channels.cache.get(thread.channel));
  }

  return {
    platform: 'discord',
    client,
    async start(handle) {
      listen(handle);
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await guarded('log in', () => client.login(config.token));
      await ready;
      log.info('discord connected', { user: client.user?.tag, guilds: client.guilds.cache.size });
    },
    async stop() {
      await client.destroy();
    },
    openThread,
    async post(thread, card) {
      const rendered = cardToDiscord(card);
      const sent = await guarded('post a message', async () =>
        (await sendable(thread.channel)).send(sendBody(rendered)),
      );
      images.remember(sent, rendered);
      return sent.id;
    },
    async update(thread, messageId, card) {
      const rendered = cardToDiscord(card);
      const channel = await guarded('find the thread', () => sendable(thread.channel));
      const edited = await guarded('edit a message', () =>
        channel.messages.edit(messageId, images.editPayload(messageId, rendered)),
      );
      images.remember(edited, rendered);
    },
    async postPrivate(thread, user, text) {
      const click = live.liveClick(thread.channel, user);
      if (click) {
        try {
          await click.followUp({ content: clip(text, LIMITS.content), flags: MessageFlags.Ephemeral });
          return;
        } catch (err) {
          log.warn('ephemeral follow-up failed; mentioning instead', { error: safe(err) });
        }
      }
      const content = clip(`<@${user}> ${text}`, LIMITS.content);
      await guarded('post a message', async () =>
        (await sendable(thread.channel)).send({ content, allowedMentions: { users: [user] } }),
      );
    },
    async upload(thread, file) {
      const size = (await fs.promises.stat(file.path)).size;
      const name = safeFilename(nameWithNonce(file.filename, file.nonce), `video-${file.nonce}.mp4`);
      const channel = await guarded('find the thread', () => sendable(thread.channel));
      try {
        const sent = await channel.send({
          content: clip(file.comment, LIMITS.content),
          files: [{ attachment: file.path, name, description: clip(file.title, 1024) }],
        });
        return sent.id;
      } catch (err) {
        if (isTooLarge(err)) throw tooLargeError(size, uploadLimitBytes(thread));
        throw discordError(err, 'upload the video', secrets);
      }
    },
    async findUpload(thread, nonce, sinceMs) {
      const channel = await guarded('find the thread', () => sendable(thread.channel));
      const q = { botId: client.user?.id, nonce, sinceMs };
      return guarded('read the thread', () => findAttachmentInChannel(channel, q));
    },
    uploadLimitBytes,
  };
}
