import { webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { redactError, registerSecrets } from '../../redact.ts';
import type { Card } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import { nameWithNonce } from '../core/delivery.ts';
import type { ChatSender, CommandEvent, ThreadRef, UploadFile } from '../core/ports.ts';
import { silentLogger } from '../logger.ts';
import { DEFAULT_RETRY } from './app.ts';
import { cardToBlockKit, type ImageRefs } from './blocks.ts';
import { createUploader, sendWithFileRetry, type UploadTarget } from './files.ts';
import { findFileInThread } from './history.ts';
import { defaultConverter } from './image-format.ts';
import { mrkdwn } from './text.ts';
import { slackThreadIds } from './thread-id.ts';

/** Slack's per-file upload limit. */
const UPLOAD_LIMIT_BYTES = 1024 ** 3;

export interface SlackSenderOptions {
  log?: Logger;
  /** Web API retry policy (app.ts DEFAULT_RETRY); tests pass `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
  /** Waits between `invalid_blocks` retries while new uploads become referenceable. */
  fileRetryDelaysMs?: number[];
  ffmpegPath?: string;
  /** The Web API client to use (the receiver shares Bolt's); by default one from the bot token. */
  client?: webApi.WebClient;
  /** A command's response_url, where the receiving process still knows it. */
  responseUrlOf?: (commandEventId: string) => string | undefined;
}

export type SlackSender = ChatSender & {
  readonly client: webApi.WebClient;
  /** Posts a card into the channel (no thread yet) or a thread; returns its ts. */
  send(t: UploadTarget, card: Card, ts?: string): Promise<string>;
};

/** Everything the bot sends to Slack, over the Web API with the bot token: no socket needed. */
export function createSlackSender(
  config: Pick<SlackConfig, 'botToken' | 'apiUrl'>,
  opts: SlackSenderOptions = {},
): SlackSender {
  const log = opts.log ?? silentLogger;
  // A sender may live in a process without the adapter: its token joins the redaction list here.
  registerSecrets(config.botToken);
  const client =
    opts.client ??
    new webApi.WebClient(config.botToken, {
      ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
      // Never the Web API's default of 10 retries over ~30 minutes (PLATFORM-NOTES.md, Slack).
      retryConfig: opts.retryConfig ?? DEFAULT_RETRY,
      logLevel: webApi.LogLevel.ERROR,
    });
  const uploader = createUploader(client, log, defaultConverter(opts.ffmpegPath));
  const delays = opts.fileRetryDelaysMs ?? [300, 700, 1500, 3000];

  const target = (ref: ThreadRef): UploadTarget => {
    const t = slackThreadIds.decode(slackThreadIds.encode(ref));
    return { channel: t.channel, threadTs: t.thread };
  };

  /** Uploads the card's images, then posts or edits the message that shows them. */
  async function send(t: UploadTarget, card: Card, ts?: string): Promise<string> {
    const refs = await uploader.images(t, card.images ?? []);
    const res = await sendWithFileRetry<{ ts?: string }>(refs, delays, log, (r: ImageRefs) => {
      const m = cardToBlockKit(card, r);
      if (ts) return client.chat.update({ channel: t.channel, ts, text: m.text, blocks: m.blocks });
      return client.chat.postMessage({
        channel: t.channel,
        ...(t.threadTs ? { thread_ts: t.threadTs } : {}),
        text: m.text,
        blocks: m.blocks,
        unfurl_links: false,
        unfurl_media: false,
      });
    });
    if (!res.ts) throw new Error('slack: message has no ts');
    return res.ts;
  }

  async function answerCommand(command: CommandEvent, text: string) {
    const body = { response_type: 'ephemeral', text: mrkdwn(text, 3000) };
    const url = opts.responseUrlOf?.(command.eventId);
    // response_url works even where the bot is not a channel member; postEphemeral needs membership.
    if (url) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).catch(() => undefined);
      if (res?.ok) return;
    }
    await client.chat.postEphemeral({ channel: command.channel, user: command.user, text: body.text });
  }

  return {
    platform: 'slack',
    threadIds: slackThreadIds,
    client,
    send,
    async post(thread, card) {
      return send(target(thread), card);
    },
    async update(thread, messageId, card) {
      await send(target(thread), card, messageId);
    },
    confirmsNatively: true,
    async deleteMessage(thread, messageId) {
      await client.chat.delete({ channel: target(thread).channel, ts: messageId });
    },
    async postPrivateCard(thread, user, card) {
      const t = target(thread);
      const m = cardToBlockKit({ ...card, images: [] });
      await client.chat.postEphemeral({
        channel: t.channel,
        user,
        thread_ts: t.threadTs,
        text: m.text,
        blocks: m.blocks,
      });
    },
    async postPrivate(thread, user, text) {
      const t = target(thread);
      await client.chat.postEphemeral({
        channel: t.channel,
        user,
        thread_ts: t.threadTs,
        text: mrkdwn(text, 3000),
      });
    },
    async upload(thread: ThreadRef, file: UploadFile) {
      // The delivery step shows a failed upload's message in the thread: no upload URL or token in it.
      const id = await uploader
        .file(target(thread), { ...file, filename: nameWithNonce(file.filename, file.nonce) })
        .catch((err: unknown) => Promise.reject(redactError(err)));
      // completeUploadExternal returns file ids, not the message ts: the file id is our handle.
      if (!id) throw new Error('Slack accepted the upload but returned no file id.');
      return id;
    },
    async findUpload(thread, nonce, sinceMs) {
      const t = target(thread);
      return findFileInThread(client, { channel: t.channel, threadTs: t.threadTs ?? '', nonce, sinceMs });
    },
    answerCommand,
    uploadLimitBytes: () => UPLOAD_LIMIT_BYTES,
  };
}
