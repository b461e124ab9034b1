/**
 * Slack wire shapes for the fake (test/fakes/slack.ts): the fake workspace's ids, the records
 * tests read, the HTTP request signature and the payload builders for what a user does.
 */
import crypto from 'node:crypto';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as Slack receives it
export type Json = any;

export interface FakeFile {
  id: string;
  filename: string;
  title: string;
  size: number;
  /** Where the uploaded bytes were saved (ffprobe it). */
  path: string;
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
  completedAt: number;
}
export interface FakeMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: Json[];
  user: string;
  bot: boolean;
  files?: FakeFile[];
  edits: number;
}
export interface FakeEphemeral {
  ts?: string;
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown[];
}
export interface ApiCall {
  method: string;
  args: Record<string, Json>;
}
export interface Envelope {
  id: string;
  type: 'slash_commands' | 'interactive' | 'events_api';
  payload: Json;
  retryAttempt: number;
  /** Milliseconds from sending to the ack (Socket Mode reply or HTTP response); undefined if none yet. */
  ackMs?: number;
  /** HTTP mode: the response status (401 for a bad signature). */
  status?: number;
  acked: Promise<number>;
}

export const TEAM = 'T0FAKE';
export const CHANNEL = 'C0GENERAL';
export const BOT_USER = 'U0ADGEN';
export const BOT_ID = 'B0ADGEN';
export const APP_ID = 'A0ADGEN';

/** Slack's HTTP request signature: `v0=` + HMAC-SHA256(`v0:${ts}:${body}`) with the signing secret. */
export function signedRequest(
  body: string,
  secret: string,
  opts: { ts?: number; tamper?: boolean; contentType?: string } = {},
): { body: string; headers: Record<string, string> } {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  const sig = crypto.createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  const contentType =
    opts.contentType ?? (body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  return {
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': `v0=${opts.tamper ? sig.replace(/^./, sig[0] === 'a' ? 'b' : 'a') : sig}`,
    },
  };
}

/** HTTP mode: Slack's encodings (form for commands, `payload=` form for interactions, JSON events). */
export function httpDelivery(
  type: Envelope['type'],
  payload: Json,
  retryAttempt: number,
  secret: string,
): { body: string; headers: Record<string, string> } {
  const body =
    type === 'events_api'
      ? JSON.stringify(payload)
      : type === 'interactive'
        ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
        : new URLSearchParams(payload).toString();
  const req = signedRequest(body, secret);
  const headers = retryAttempt ? { ...req.headers, 'x-slack-retry-num': String(retryAttempt) } : req.headers;
  return { body, headers };
}

/** Socket Mode: the first frame on a new connection. */
export const HELLO = {
  type: 'hello',
  num_connections: 1,
  debug_info: { host: 'fake', approximate_connection_time: 18060 },
  connection_info: { app_id: APP_ID },
};

/** Socket Mode: the envelope around a delivery (events carry their retry attempt). */
export function socketEnvelope(
  id: string,
  type: Envelope['type'],
  payload: Json,
  retryAttempt: number,
): Json {
  const retry =
    type === 'events_api' ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' } : {};
  return { envelope_id: id, type, payload, accepts_response_payload: type !== 'events_api', ...retry };
}

export const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A `/adgen` slash command; `seq` numbers its response_url and trigger_id. */
export function slashCommandPayload(
  user: string,
  text: string,
  channel: string,
  port: number,
  seq: number,
): Json {
  return {
    token: 'verification-token',
    team_id: TEAM,
    team_domain: 'fake',
    channel_id: channel,
    channel_name: 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/adgen',
    text: escapeText(text),
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: `http://127.0.0.1:${port}/response/${seq}`,
    trigger_id: `${seq}.${Date.now()}.${crypto.randomBytes(4).toString('hex')}`,
  };
}

/** A `block_actions` interaction for `action` on a bot message. */
export function blockActionsPayload(
  user: string,
  message: FakeMessage,
  action: Json,
  port: number,
  seq: number,
): Json {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
    api_app_id: APP_ID,
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: `${seq}.${Date.now()}.t`,
    team: { id: TEAM, domain: 'fake' },
    channel: { id: message.channel, name: 'general' },
    message: {
      type: 'message',
      user: BOT_USER,
      bot_id: BOT_ID,
      ts: message.ts,
      thread_ts: message.thread_ts,
      text: message.text,
    },
    state: { values: {} },
    response_url: `http://127.0.0.1:${port}/response/${seq}`,
    actions: [action],
  };
}

/** The Events API wrapper around `event`; `seq` numbers its event_id. */
export function eventCallback(event: Json, seq: number): Json {
  return {
    token: 'verification-token',
    team_id: TEAM,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: `Ev${seq}${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

/**
 * The Block Kit element a click hits: `actionId` may be the core action (`mood.select`) or the
 * exact action_id; `value` picks among same-action elements.
 */
export function findAction(message: FakeMessage, actionId: string, value?: string): Json | undefined {
  const elements = (message.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);
  const same = (e: Json) => e.action_id === actionId || String(e.action_id).startsWith(`${actionId}:`);
  for (const e of elements.filter(same)) {
    if (e.type === 'button' && (value === undefined || e.value === value)) return e;
    if (e.type === 'static_select') {
      const option = e.options.find((o: Json) => value === undefined || o.value === value);
      if (option) return { type: 'static_select', action_id: e.action_id, selected_option: option };
    }
  }
  return undefined;
}
