import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LogLevel, type webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { SlackConfig } from '../../config.ts';
import { registerSecrets } from '../../redact.ts';
import type { Card } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import type { ChatAdapter, CommandEvent, Incoming, ThreadRef } from '../core/ports.ts';
import { createLogger } from '../logger.ts';
import { createBoltApp, ingestMiddleware } from './app.ts';
import { errorCode } from './files.ts';
import { boltLogger } from './log.ts';
import { createSlackSender } from './sender.ts';
import { slackThreadIds } from './thread-id.ts';

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

/** Command trigger ids -> response_url, to explain a failed openThread (bot not in channel). */
export const RESPONSE_URLS_KEPT = 200;

/** `createSlackAdapter(config.slack, { log })`: the ChatAdapter over a real Bolt app. */
export function createSlackAdapter(config: SlackConfig, opts: SlackAdapterOptions = {}): SlackAdapter {
  const log = opts.log ?? createLogger('info');
  const secrets = [config.botToken, config.appToken, config.signingSecret];
  registerSecrets(...secrets);
  // Socket Mode's live state for readiness (/readyz); HTTP mode is up while its server listens.
  let socketUp = false;
  const app = createBoltApp(config, {
    logger: boltLogger(log, secrets, opts.boltLogLevel ?? LogLevel.WARN),
    retryConfig: opts.retryConfig,
    socketPingTimeoutMs: opts.socketPingTimeoutMs,
    onSocketState: (up) => {
      socketUp = up;
    },
  });
  const responseUrls = new LRUCache<string, string>({ max: RESPONSE_URLS_KEPT });
  const sender = createSlackSender(config, {
    log,
    fileRetryDelaysMs: opts.fileRetryDelaysMs,
    ffmpegPath: opts.ffmpegPath,
    client: app.client,
    responseUrlOf: (eventId) => responseUrls.get(eventId),
  });
  let server: Server | undefined;
  let started = false;

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

    connected: () => (config.mode === 'http' ? server?.listening === true : socketUp),

    async openThread(command: CommandEvent, card: Card): Promise<ThreadRef> {
      try {
        const ts = await sender.send({ channel: command.channel }, card);
        // The root message is the thread's ts in the command's channel: the core's default.
        return slackThreadIds.decode(
          slackThreadIds.encode({ platform: 'slack', channel: command.channel, thread: ts }),
        );
      } catch (err) {
        await explain(command, errorCode(err));
        throw err;
      }
    },

    threadIds: sender.threadIds,
    post: sender.post,
    update: sender.update,
    postPrivate: sender.postPrivate,
    upload: sender.upload,
    findUpload: sender.findUpload,
    answerCommand: sender.answerCommand,
    uploadLimitBytes: sender.uploadLimitBytes,

    httpPort: () => (server ? ((server.address() as AddressInfo | null)?.port ?? null) : null),
  };
}
