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
import { type Card, mention } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import type { ChatAdapter, CommandEvent, Incoming, ThreadRef } from '../core/ports.ts';
import { findSubcommand } from '../core/subcommands.ts';
import { silentLogger } from '../logger.ts';
import { createDiscordClient } from './client.ts';
import {
  allowedMentions,
  cardToDiscord,
  clip,
  type DiscordMessage,
  discordText,
  LIMITS,
} from './components.ts';
import { discordFileDownloader } from './download.ts';
import { discordError } from './errors.ts';
import { actionEvent, commandEvent, messageEvent, reactionEvent } from './events.ts';
import { threadRef } from './ids.ts';
import { createInteractionRegistry } from './interactions.ts';
import { createMemoryLimitStore, type UploadLimitStore } from './limit-store.ts';
import { limitFromChannel } from './limits.ts';
import { editorModal, editorSubmission, opensEditor } from './modal.ts';
import { COMMAND_NAME } from './register.ts';
import { createDiscordSender } from './sender.ts';
import { threadBlocker } from './thread-rules.ts';

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
  allowedMentions: { parse: [], users: m.mentions },
});

/** `/adgen help` is answered privately: a deferred reply's ephemerality cannot change later. */
const wantsPrivateAnswer = (idea: string) => findSubcommand(idea) !== undefined;

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
  /** Per thread channel: `attachment_size_limit` as Discord last told us in an interaction. */
  const limits = opts.limitStore ?? createMemoryLimitStore();
  // Sending goes over the client's REST, the same code a gateway-less sender runs. The token is
  // set now, not only at login: an `adgen worker` never logs in to the gateway but still posts.
  client.rest.setToken(config.token);
  const sender = createDiscordSender(config, {
    rest: client.rest,
    limitStore: limits,
    botId: () => client.user?.id,
    channelLimit: (id) => limitFromChannel(client.channels.cache.get(id)),
  });
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
      const event = commandEvent(i);
      // Discord's 3-second rule: acknowledge before anything else can delay us.
      await i.deferReply(wantsPrivateAnswer(event.text) ? { flags: MessageFlags.Ephemeral } : {});
      const blocked =
        i.inGuild() && !wantsPrivateAnswer(event.text)
          ? threadBlocker(i.channel?.type, i.appPermissions)
          : null;
      if (!i.inGuild() || blocked) {
        await i.editReply(
          blocked ?? 'Run /adgen in a server text channel: I open a thread there for the ad.',
        );
        return;
      }
      live.awaitThread(i);
      noteLimit(i.channelId, i.attachmentSizeLimit);
      await handle(event);
      // The core answers every command by opening a thread; if it could not, say so.
      if (live.takeCommand(i.id)) await i.editReply('Sorry, I could not start this ad. Please try again.');
      return;
    }
    if (i.isButton() && opensEditor(i.customId)) {
      // A modal must be the click's first response; its text returns as a ModalSubmit below.
      const shown = await i.showModal(editorModal()).then(
        () => true,
        (err: unknown) => {
          log.warn('discord: showModal failed', { error: safe(err) });
          return false;
        },
      );
      if (shown) return;
    }
    if (i.isModalSubmit()) {
      const event = editorSubmission(i);
      await (i.isFromMessage() ? i.deferUpdate() : i.deferReply({ flags: MessageFlags.Ephemeral }));
      if (event) await handle(event);
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
    // Reactions on the starter message (❌ cancels) arrive from the parent channel, id = thread id.
    return { ...threadRef(thread.id), rootMessage: { channel: parent.id, messageId: root.id } };
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
    connected: () => client.isReady(),
    openThread,
    threadIds: sender.threadIds,
    post: sender.post,
    update: sender.update,
    deleteMessage: sender.deleteMessage,
    async postPrivateCard(thread, user, card) {
      // Discord buttons have no confirm dialog: the question is an ephemeral follow-up to the
      // click, with its own "Yes" button; without a live click (a reaction) it goes in the thread.
      const click = live.liveClick(thread.channel, user);
      const m = cardToDiscord({ ...card, images: [] });
      if (click) {
        try {
          await click.followUp({
            ...sendBody(m),
            flags: MessageFlags.Ephemeral,
            allowedMentions: allowedMentions([]),
          });
          return;
        } catch (err) {
          log.warn('ephemeral follow-up failed; posting instead', { error: safe(err) });
        }
      }
      await sender.post(thread, { ...card, text: `${mention(user)} ${card.text}` });
    },
    async postPrivate(thread, user, text) {
      const click = live.liveClick(thread.channel, user);
      if (click) {
        try {
          await click.followUp({
            content: clip(discordText(text), LIMITS.content),
            flags: MessageFlags.Ephemeral,
            allowedMentions: allowedMentions([]),
          });
          return;
        } catch (err) {
          log.warn('ephemeral follow-up failed; mentioning instead', { error: safe(err) });
        }
      }
      await sender.postPrivate(thread, user, text);
    },
    async answerCommand(command, text) {
      const i = live.takeCommand(command.eventId);
      if (!i) return sender.answerCommand(command, text);
      const content = clip(discordText(text), LIMITS.content);
      await guarded('answer the command', () =>
        i.editReply({ content, allowedMentions: allowedMentions([]) }),
      );
    },
    upload: sender.upload,
    findUpload: sender.findUpload,
    uploadLimitBytes: sender.uploadLimitBytes,
    downloadFile: discordFileDownloader(config.apiUrl),
  };
}
