import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, type webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { SlackConfig } from '../../config.ts';
import { redactError, registerSecrets } from '../../redact.ts';
import type { Card } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import { nameWithNonce } from '../core/delivery.ts';
import type { ChatAdapter, CommandEvent, Incoming, ThreadRef, UploadFile } from '../core/ports.ts';
import { createLogger } from '../logger.ts';
import { createBoltApp, ingestMiddleware } from './app.ts';
import { cardToBlockKit, type ImageRefs } from './blocks.ts';
import { createUploader, errorCode, sendWithFileRetry, type UploadTarget } from './files.ts';
import { findFileInThread } from './history.ts';
import { defaultConverter } from './image-format.ts';
import { boltLogger } from './log.ts';
import { mrkdwn } from './text.ts';

export interface SlackAdapterOptions {
  log?: Logger;
  /** The slash command this app owns; must match the manifest. */
  command?: string;
  /** Web API retry policy; tests pass `{ retries: 0 }`. */
  retryConfig?: webApi.RetryOptions;
  /** Waits between `invalid_blocks` retries while new uploads become referenceable. */
  fileRetryDelaysMs?: number[];
  /** Bolt's own log level (its lines are redacted and go to `log`). */
  boltLogLevel?: LogLevel;
  /** Socket Mode ping timeout, which is also the reconnect delay (tests shorten it). */
  socketPingTimeoutMs?: number;
  /** Converts card images Slack cannot show (webp) to PNG; pass config.ffmpeg.ffmpeg. */
  ffmpegPath?: string;
}

export interface SlackAdapter extends ChatAdapter {
  /** HTTP mode: the port actually listened on (useful with SLACK_PORT=0); null in Socket Mode. */
  httpPort(): number | null;
}

/** Slack's per-file upload limit. */
const UPLOAD_LIMIT_BYTES = 1024 ** 3;
/** Command trigger ids -> response_url, to explain a failed openThread (bot not in channel). */
export const RESPONSE_URLS_KEPT = 200;

/** `createSlackAdapter(config.slack, { log })`: the ChatAdapter over a real Bolt app. */
export function createSlackAdapter(config: SlackConfig, opts: SlackAdapterOptions = {}): SlackAdapter {
  const log = opts.log ?? createLogger('info');
  const secrets = [config.botToken, config.appToken, config.signingSecret];
  registerSecrets(...secrets);
  const app = createBoltApp(config, {
    logger: boltLogger(log, secrets, opts.boltLogLevel ?? LogLevel.WARN),
    retryConfig: opts.retryConfig,
    socketPingTimeoutMs: opts.socketPingTimeoutMs,
  });
  const client = app.client;
  const uploader = createUploader(client, log, defaultConverter(opts.ffmpegPath));
  const delays = opts.fileRetryDelaysMs ?? [300, 700, 1500, 3000];
  const responseUrls = new LRUCache<string, string>({ max: RESPONSE_URLS_KEPT });
  let server: Server | undefined;
  let started = false;

  const target = (ref: ThreadRef): UploadTarget => {
    if (ref.platform !== 'slack') throw new Error(`not a Slack thread: ${ref.platform}`);
    return { channel: ref.channel, threadTs: ref.thread };
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

  /** The bot cannot post where it is not a member: say so privately through the command. */
  async function explain(command: CommandEvent, code: string) {
    const url = responseUrls.get(command.eventId);
    if (!url || !['not_in_channel', 'channel_not_found'].includes(code)) return;
    const text =
      'I can’t post in this channel yet. Invite me with `/invite @adgen`, then run `/adgen` again.';
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', text }),
    }).catch(() => undefined);
  }

  return {
    platform: 'slack',

    async start(handle: (event: Incoming) => Promise<void>) {
      // Bolt keeps its middleware; a second start would hand every event to the core twice.
      if (started) throw new Error('slack adapter already started');
      started = true;
      const command = opts.command ?? '/adgen';
      const onCommand = (triggerId: string, url: string) => {
        responseUrls.set(triggerId, url);
      };
      app.use(ingestMiddleware({ command, log, handle, onCommand }));
      if (config.mode === 'http') server = (await app.start(config.port)) as Server;
      else await app.start();
      log.info('slack: connected', { mode: config.mode });
    },

    async stop() {
      if (!started) return;
      await app.stop();
      server = undefined;
    },

    async openThread(command: CommandEvent, card: Card): Promise<ThreadRef> {
      try {
        const ts = await send({ channel: command.channel }, card);
        return { platform: 'slack', channel: command.channel, thread: ts };
      } catch (err) {
        await explain(command, errorCode(err));
        throw err;
      }
    },

    async post(thread, card) {
      return send(target(thread), card);
    },

    async update(thread, messageId, card) {
      await send(target(thread), card, messageId);
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

    uploadLimitBytes: () => UPLOAD_LIMIT_BYTES,

    httpPort: () => (server ? ((server.address() as AddressInfo | null)?.port ?? null) : null),
  };
}
