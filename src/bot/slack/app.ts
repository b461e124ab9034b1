import {
  type AnyMiddlewareArgs,
  App,
  type Logger as BoltLogger,
  type Middleware,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import { redact } from '../../redact.ts';
import type { Logger } from '../core/context.ts';
import type { Incoming } from '../core/ports.ts';
import { type ParseOptions, parseSlackBody } from './parse.ts';

/**
 * Web API calls (chat, files): a few quick retries, then the error reaches the core. Always set:
 * otherwise SocketModeClient writes `{retries: 100}` into the client options it shares with
 * Bolt, and one failing chat call would retry for many minutes (PLATFORM-NOTES.md, Slack).
 */
export const DEFAULT_RETRY: webApi.RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 500,
  maxTimeout: 5000,
};

/**
 * apps.connections.open on (re)connect: keep trying through a Slack or network outage. The
 * socket client does not catch a failed reconnect, so giving up would leave the bot deaf.
 * Platform errors such as invalid_auth are not retried, so a bad token still fails at start.
 */
export const RECONNECT_RETRY: webApi.RetryOptions = {
  forever: true,
  factor: 1.3,
  minTimeout: 1000,
  maxTimeout: 60_000,
};

export interface BoltAppOptions {
  logger: BoltLogger;
  /** Both policies at once (tests pass `{ retries: 0 }`). */
  retryConfig?: webApi.RetryOptions;
  /** Socket Mode ping timeout; also the delay before reconnecting (Slack's default 5 s). */
  socketPingTimeoutMs?: number;
  /** Socket Mode: told when the socket comes up (true) and goes down or starts reconnecting. */
  onSocketState?: (up: boolean) => void;
}

/** Socket Mode (no public URL) or HTTP with Bolt's signature check (bad or stale -> 401). */
export function createBoltApp(config: SlackConfig, opts: BoltAppOptions): App {
  const api = config.apiUrl ? { slackApiUrl: config.apiUrl } : {};
  const clientOptions: webApi.WebClientOptions = { ...api, retryConfig: opts.retryConfig ?? DEFAULT_RETRY };
  if (config.mode === 'socket') {
    const receiver = new SocketModeReceiver({
      appToken: config.appToken ?? '',
      logger: opts.logger,
      // Its own options object, so the socket client and Bolt's Web API client never share one.
      installerOptions: { clientOptions: { ...api, retryConfig: opts.retryConfig ?? RECONNECT_RETRY } },
      ...(opts.socketPingTimeoutMs ? { clientPingTimeout: opts.socketPingTimeoutMs } : {}),
    });
    const state = opts.onSocketState;
    if (state) {
      receiver.client.on('connected', () => state(true));
      for (const down of ['disconnected', 'reconnecting', 'disconnecting'])
        receiver.client.on(down, () => state(false));
    }
    return new App({ token: config.botToken, receiver, logger: opts.logger, clientOptions });
  }
  return new App({
    token: config.botToken,
    signingSecret: config.signingSecret,
    port: config.port,
    logger: opts.logger,
    clientOptions,
    // Respond (ack) before our work runs: Slack re-sends anything not answered within 3 s.
    processBeforeResponse: false,
  });
}

export interface IngestOptions extends Omit<ParseOptions, 'botUserId'> {
  log: Logger;
  handle: (event: Incoming) => Promise<void>;
  /** Called with the raw command body so the adapter can answer via its response_url later. */
  onCommand?: (triggerId: string, responseUrl: string) => void;
}

/**
 * The one global middleware: ack at once, parse with zod, hand the event to the core in the
 * background. No Bolt listeners are registered, so nothing else ever runs on a payload.
 */
export function ingestMiddleware(opts: IngestOptions): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    // Events API payloads were acked by Bolt already; commands and interactions carry `ack`.
    if ('ack' in args && typeof args.ack === 'function') {
      await (args.ack as () => Promise<void>)().catch((err: unknown) =>
        opts.log.warn('slack: ack failed', {
          error: redact(String((err as Error)?.message ?? err).slice(0, 200)),
        }),
      );
    }
    const body: unknown = args.body;
    const parsed = parseSlackBody(body, { command: opts.command, botUserId: args.context.botUserId });
    if (parsed.kind === 'invalid') {
      // Issue paths and zod messages only: payloads carry a verification token and user text.
      opts.log.warn('slack: dropped malformed payload', { what: parsed.what, issues: parsed.issues });
      return;
    }
    if (parsed.kind === 'ignored') return;
    const event = parsed.event;
    if (event.type === 'command' && opts.onCommand) {
      const url = (body as { response_url?: unknown }).response_url;
      if (typeof url === 'string' && url.startsWith('http')) opts.onCommand(event.eventId, url);
    }
    // Not awaited: the core may take seconds (LLM calls, uploads). setImmediate, not a microtask,
    // so the acks of every envelope that arrived in the same I/O turn are written before any
    // synchronous work of the core (SQLite) starts.
    setImmediate(() => {
      Promise.resolve()
        .then(() => opts.handle(event))
        .catch((err: unknown) =>
          opts.log.error('slack: event handler failed', {
            type: event.type,
            error: redact(String((err as Error)?.message ?? err).slice(0, 300)),
          }),
        );
    });
  };
}
