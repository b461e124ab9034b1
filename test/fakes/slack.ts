/**
 * A loopback Slack for tests: the Web API methods adgen uses, the files.uploadV2 upload URL, a
 * Socket Mode websocket, and a "user does X" API. The REAL @slack/bolt app talks to it
 * (ARCHITECTURE.md example 10); protocol details follow ../../../shared/reference/slack-fake.js.
 *
 *   const slack = await FakeSlack.start();
 *   const adapter = createSlackAdapter(slack.slackConfig(), { retryConfig: { retries: 0 } });
 *   await adapter.start(handler); await slack.waitForConnection();
 *   await slack.slashCommand('U1', 'red sneakers');   // resolves once acked
 *
 * It mirrors Slack's checks that matter to us: tokens, Block Kit limits (`invalid_blocks`), a
 * fresh upload not yet referenceable (`fileReadyDelayMs`), channel membership (`memberOf`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import type { SlackConfig } from '../../src/config.ts';

// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON as Slack receives it
type Json = any;

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
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
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
export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** A new upload is `invalid_blocks` in an image block for this long (Slack's processing delay). */
  fileReadyDelayMs?: number;
  /** When set, posting anywhere else fails with `not_in_channel`. */
  memberOf?: string[];
  /** How long the user API waits for an ack before it rejects. */
  ackTimeoutMs?: number;
}

export const TEAM = 'T0FAKE';
export const CHANNEL = 'C0GENERAL';
export const BOT_USER = 'U0ADGEN';
export const BOT_ID = 'B0ADGEN';
const APP_ID = 'A0ADGEN';

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

const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function parseArgs(buf: Buffer, contentType = ''): Record<string, Json> {
  if (contentType.startsWith('application/json')) return JSON.parse(buf.toString() || '{}');
  const o: Record<string, Json> = Object.fromEntries(new URLSearchParams(buf.toString()));
  for (const k of ['blocks', 'attachments', 'files', 'metadata']) {
    if (typeof o[k] === 'string') {
      try {
        o[k] = JSON.parse(o[k]);
      } catch {}
    }
  }
  return o;
}

/** The checks Slack applies before accepting blocks; returns an error code or null. */
function blockError(blocks: Json, fileReady: (id: string) => boolean): string | null {
  if (!Array.isArray(blocks) || blocks.length > 50) return 'invalid_blocks';
  const ids = new Set<string>();
  const tooLong = (t: Json, max: number) => typeof t?.text !== 'string' || !t.text || t.text.length > max;
  for (const b of blocks) {
    if (b.type === 'header' && tooLong(b.text, 150)) return 'invalid_blocks';
    if (b.type === 'section') {
      if (b.text && tooLong(b.text, 3000)) return 'invalid_blocks';
      if (b.fields && (b.fields.length > 10 || b.fields.some((f: Json) => tooLong(f, 2000))))
        return 'invalid_blocks';
    }
    if (b.type === 'context' && (b.elements.length > 10 || b.elements.some((e: Json) => tooLong(e, 3000)))) {
      return 'invalid_blocks';
    }
    if (b.type === 'image' && (!b.alt_text || (b.slack_file && !fileReady(b.slack_file.id))))
      return 'invalid_blocks';
    if (b.type !== 'actions') continue;
    if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > 25)
      return 'invalid_blocks';
    for (const e of b.elements) {
      if (!e.action_id || e.action_id.length > 255 || ids.has(e.action_id)) return 'invalid_blocks';
      ids.add(e.action_id);
      if (e.type === 'button' && (tooLong(e.text, 75) || (e.value ?? '').length > 2000))
        return 'invalid_blocks';
      if (
        e.type === 'static_select' &&
        (!e.options?.length || e.options.some((o: Json) => tooLong(o.text, 75)))
      ) {
        return 'invalid_blocks';
      }
    }
  }
  return null;
}

export class FakeSlack {
  readonly botToken: string;
  readonly appToken: string;
  readonly calls: ApiCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly updates: { channel: string; ts: string; text: string; blocks?: Json[] }[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly uploads: FakeFile[] = [];
  readonly reactions: { channel: string; ts: string; name: string }[] = [];
  /** Bodies POSTed to slash-command response_urls. */
  readonly responses: Json[] = [];
  readonly envelopes: Envelope[] = [];
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-slack-'));
  /** Socket Mode connections opened so far (a reconnect adds one). */
  connections = 0;

  private server = http.createServer((req, res) => void this.route(req, res));
  private wss = new WebSocketServer({ server: this.server, path: '/link/' });
  private socket: WebSocket | undefined;
  private pending = new Map<string, (ms: number) => void>();
  private pendingUploads = new Map<
    string,
    { filename: string; length: number; path?: string; size: number }
  >();
  private files = new Map<string, FakeFile>();
  private seq = 0;
  private http: { url: string; secret: string } | undefined;

  private constructor(readonly opts: FakeSlackOptions) {
    this.botToken = opts.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = opts.appToken ?? 'xapp-fake-app-token';
    this.wss.on('connection', (ws) => this.onSocket(ws));
  }

  static async start(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
    const fake = new FakeSlack(opts);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A Socket Mode config pointing at this fake (override `mode` etc. for HTTP tests). */
  slackConfig(over: Partial<SlackConfig> = {}): SlackConfig {
    return {
      botToken: this.botToken,
      appToken: this.appToken,
      mode: 'socket',
      port: 0,
      apiUrl: this.apiUrl,
      ...over,
    };
  }

  /** Deliver user actions as signed HTTP requests to the app instead of Socket Mode envelopes. */
  useHttp(url: string, secret: string): void {
    this.http = { url, secret };
  }

  async stop(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- the "user does X" API (each resolves once the app acked) ------------------------------

  slashCommand(user: string, text: string, channel = CHANNEL): Promise<Envelope> {
    return this.deliverAcked('slash_commands', {
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
      response_url: `http://127.0.0.1:${this.port}/response/${++this.seq}`,
      trigger_id: `${this.seq}.${Date.now()}.${crypto.randomBytes(4).toString('hex')}`,
    });
  }

  /** A user's reply in a thread (recorded as a message, then sent as a `message` event). */
  say(user: string, threadTs: string, text: string, channel = CHANNEL): Promise<Envelope> {
    const ts = this.nextTs();
    this.messages.push({ channel, ts, thread_ts: threadTs, text, user, bot: false, edits: 0 });
    const event = { type: 'message', user, text: escapeText(text), ts, thread_ts: threadTs, channel };
    return this.deliverAcked(
      'events_api',
      this.eventCallback({ ...event, channel_type: 'channel', event_ts: ts }),
    );
  }

  /**
   * Clicks a button (or picks a select option) on a bot message. `actionId` may be the core action
   * (`mood.select`) or the exact Block Kit action_id; `value` picks among same-action elements.
   * An id not on the message is sent as-is (an "unknown action" from a stale client).
   */
  click(user: string, message: FakeMessage, actionId: string, value?: string): Promise<Envelope> {
    // Unique per click, like Slack's microsecond action_ts (the adapter builds eventIds from it).
    const actionTs = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    const action = this.findAction(message, actionId, value) ?? {
      type: 'button',
      action_id: actionId,
      value: value ?? '',
      text: { type: 'plain_text', text: actionId },
    };
    return this.deliverAcked('interactive', {
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
      trigger_id: `${++this.seq}.${Date.now()}.t`,
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
      response_url: `http://127.0.0.1:${this.port}/response/${this.seq}`,
      actions: [{ ...action, action_ts: actionTs }],
    });
  }

  react(
    user: string,
    messageTs: string,
    name: string,
    opts: { channel?: string; removed?: boolean } = {},
  ): Promise<Envelope> {
    const channel = opts.channel ?? this.messages.find((m) => m.ts === messageTs)?.channel ?? CHANNEL;
    const event = {
      type: opts.removed ? 'reaction_removed' : 'reaction_added',
      user,
      reaction: name,
      item_user: BOT_USER,
      item: { type: 'message', channel, ts: messageTs },
      event_ts: this.nextTs(),
    };
    return this.deliverAcked('events_api', this.eventCallback(event));
  }

  /** The same delivery again (same event_id / trigger_id), as Slack does after a missed ack. */
  redeliver(envelope: Envelope): Promise<Envelope> {
    return this.deliverAcked(envelope.type, envelope.payload, envelope.retryAttempt + 1);
  }

  /** Any payload, without waiting for an ack (malformed-input tests). */
  send(type: Envelope['type'], payload: Json): Envelope {
    return this.deliver(type, payload, 0);
  }

  /** Asks the app to reconnect, as Slack does every few hours. */
  disconnect(): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
  }

  // ---- waiting and reading -------------------------------------------------------------------

  async waitFor<T>(
    probe: () => T | undefined | null | false,
    what = 'condition',
    timeoutMs = 5000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`fake slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitForConnection(timeoutMs = 5000): Promise<WebSocket> {
    return this.waitFor(
      () => (this.socket?.readyState === WebSocket.OPEN ? this.socket : undefined),
      'socket',
      timeoutMs,
    );
  }

  /** A message (bot or user, posted or edited) matching `pred`. */
  waitForMessage(pred: (m: FakeMessage) => boolean, timeoutMs = 5000): Promise<FakeMessage> {
    return this.waitFor(() => this.messages.find(pred), 'message', timeoutMs);
  }

  /** Root message first, then replies in order (what conversations.replies returns). */
  thread(threadTs: string, channel = CHANNEL): FakeMessage[] {
    return this.messages.filter(
      (m) => m.channel === channel && (m.ts === threadTs || m.thread_ts === threadTs),
    );
  }

  ackTimesMs(): number[] {
    return this.envelopes.flatMap((e) => (e.ackMs === undefined ? [] : [e.ackMs]));
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  // ---- delivery ------------------------------------------------------------------------------

  private nextTs(): string {
    this.seq += 1;
    return `${1_700_000_000 + this.seq}.${String(this.seq).padStart(6, '0')}`;
  }

  private eventCallback(event: Json): Json {
    return {
      token: 'verification-token',
      team_id: TEAM,
      api_app_id: APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${++this.seq}${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        { enterprise_id: null, team_id: TEAM, user_id: BOT_USER, is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
    };
  }

  private async deliverAcked(type: Envelope['type'], payload: Json, retry = 0): Promise<Envelope> {
    const env = this.deliver(type, payload, retry);
    const timeout = this.opts.ackTimeoutMs ?? 3000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`fake slack: ${type} ${env.id} not acked in ${timeout} ms`)),
        timeout,
      );
    });
    try {
      await Promise.race([env.acked, late]);
    } finally {
      clearTimeout(timer);
    }
    return env;
  }

  private deliver(type: Envelope['type'], payload: Json, retryAttempt: number): Envelope {
    const id = `env-${++this.seq}`;
    let resolve!: (ms: number) => void;
    const acked = new Promise<number>((r) => {
      resolve = r;
    });
    const env: Envelope = { id, type, payload, retryAttempt, acked };
    this.envelopes.push(env);
    const started = performance.now();
    const done = (status?: number) => {
      env.ackMs = performance.now() - started;
      env.status = status;
      resolve(env.ackMs);
    };
    if (this.http) {
      void this.postHttp(type, payload, retryAttempt).then(done, () => undefined);
      return env;
    }
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
      throw new Error('fake slack: no socket connection');
    this.pending.set(id, () => done());
    const retry =
      type === 'events_api'
        ? { retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' }
        : {};
    this.socket.send(
      JSON.stringify({
        envelope_id: id,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...retry,
      }),
    );
    return env;
  }

  /** HTTP mode: Slack's encodings (form for commands, `payload=` form for interactions, JSON events). */
  private async postHttp(type: Envelope['type'], payload: Json, retryAttempt: number): Promise<number> {
    const { url, secret } = this.http!;
    const body =
      type === 'events_api'
        ? JSON.stringify(payload)
        : type === 'interactive'
          ? new URLSearchParams({ payload: JSON.stringify(payload) }).toString()
          : new URLSearchParams(payload).toString();
    const req = signedRequest(body, secret);
    const headers = retryAttempt
      ? { ...req.headers, 'x-slack-retry-num': String(retryAttempt) }
      : req.headers;
    const res = await fetch(url, { method: 'POST', body, headers });
    await res.text();
    return res.status;
  }

  private onSocket(ws: WebSocket) {
    this.socket = ws;
    this.connections += 1;
    ws.on('message', (raw) => {
      let msg: Json;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        return;
      }
      const ack = this.pending.get(msg?.envelope_id);
      if (!ack) return;
      this.pending.delete(msg.envelope_id);
      ack(0);
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        debug_info: { host: 'fake', approximate_connection_time: 18060 },
        connection_info: { app_id: APP_ID },
      }),
    );
  }

  private findAction(message: FakeMessage, actionId: string, value?: string): Json | undefined {
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

  // ---- Web API -------------------------------------------------------------------------------

  private async route(req: http.IncomingMessage, res: http.ServerResponse) {
    const buf = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const reply = (o: Json) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    if (url.pathname.startsWith('/upload/')) return this.receiveUpload(req, buf, url, res);
    if (url.pathname.startsWith('/response/')) {
      this.responses.push(JSON.parse(buf.toString() || '{}'));
      res.writeHead(200);
      return res.end('ok');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(buf, req.headers['content-type']);
    this.calls.push({ method, args });
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    const expected = method === 'apps.connections.open' ? this.appToken : this.botToken;
    if (token !== expected) return reply({ ok: false, error: 'invalid_auth' });
    try {
      reply(this.api(method, args));
    } catch (err) {
      reply({ ok: false, error: (err as Error).message });
    }
  }

  private api(method: string, a: Record<string, Json>): Json {
    const member = (channel: string) => {
      if (!channel) throw new Error('channel_not_found');
      if (this.opts.memberOf && !this.opts.memberOf.includes(channel)) throw new Error('not_in_channel');
    };
    const checkBlocks = (blocks: Json) => {
      const err = blocks === undefined ? null : blockError(blocks, (id) => this.fileReady(id));
      if (err) throw new Error(err);
    };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'adgen',
          team_id: TEAM,
          user_id: BOT_USER,
          bot_id: BOT_ID,
        };
      case 'apps.connections.open':
        return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${++this.seq}&app_id=${APP_ID}` };
      case 'chat.postMessage': {
        member(a.channel);
        checkBlocks(a.blocks);
        const m: FakeMessage = {
          channel: a.channel,
          ts: this.nextTs(),
          thread_ts: a.thread_ts,
          text: a.text ?? '',
          blocks: a.blocks,
          user: BOT_USER,
          bot: true,
          edits: 0,
        };
        this.messages.push(m);
        return { ok: true, channel: m.channel, ts: m.ts, message: { ...m, bot_id: BOT_ID } };
      }
      case 'chat.update': {
        const m = this.messages.find((x) => x.channel === a.channel && x.ts === a.ts && x.bot);
        if (!m) throw new Error('message_not_found');
        checkBlocks(a.blocks);
        Object.assign(m, { text: a.text ?? m.text, blocks: a.blocks ?? m.blocks, edits: m.edits + 1 });
        this.updates.push({ channel: a.channel, ts: a.ts, text: m.text, blocks: m.blocks });
        return { ok: true, channel: a.channel, ts: a.ts, text: m.text };
      }
      case 'chat.postEphemeral':
        member(a.channel);
        this.ephemerals.push({
          channel: a.channel,
          user: a.user,
          text: a.text ?? '',
          thread_ts: a.thread_ts,
        });
        return { ok: true, message_ts: this.nextTs() };
      case 'reactions.add':
        this.reactions.push({ channel: a.channel, ts: a.timestamp, name: a.name });
        return { ok: true };
      case 'conversations.replies':
        return { ok: true, messages: this.thread(a.ts, a.channel), has_more: false };
      case 'files.getUploadURLExternal': {
        const id = `F${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
        this.pendingUploads.set(id, { filename: a.filename, length: Number(a.length), size: 0 });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/v1/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return this.completeUploads(a);
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private async receiveUpload(req: http.IncomingMessage, buf: Buffer, url: URL, res: http.ServerResponse) {
    const id = url.pathname.split('/').pop()!;
    const pending = this.pendingUploads.get(id);
    if (!pending) {
      res.writeHead(404);
      return res.end('unknown upload');
    }
    let bytes = buf;
    const ct = req.headers['content-type'] ?? '';
    if (ct.startsWith('multipart/')) {
      const form = await new Response(new Uint8Array(buf), { headers: { 'content-type': ct } }).formData();
      const part = (form.get('body') ?? form.get('file')) as Blob | null;
      bytes = Buffer.from(part ? await part.arrayBuffer() : new ArrayBuffer(0));
    }
    pending.path = path.join(this.dir, `${id}-${path.basename(pending.filename || 'file')}`);
    pending.size = bytes.length;
    fs.writeFileSync(pending.path, bytes);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  private completeUploads(a: Record<string, Json>): Json {
    const list: { id: string; title?: string }[] = Array.isArray(a.files)
      ? a.files
      : JSON.parse(a.files ?? '[]');
    if (a.channel_id && this.opts.memberOf && !this.opts.memberOf.includes(a.channel_id))
      throw new Error('not_in_channel');
    const done: FakeFile[] = [];
    for (const f of list) {
      const p = this.pendingUploads.get(f.id);
      if (!p?.path) throw new Error('file_not_found');
      const file: FakeFile = {
        id: f.id,
        filename: p.filename,
        title: f.title ?? p.filename,
        size: p.size,
        path: p.path,
        channel: a.channel_id,
        thread_ts: a.thread_ts,
        initial_comment: a.initial_comment,
        completedAt: Date.now(),
      };
      this.files.set(f.id, file);
      this.uploads.push(file);
      done.push(file);
    }
    if (a.channel_id) {
      const m: FakeMessage = {
        channel: a.channel_id,
        ts: this.nextTs(),
        thread_ts: a.thread_ts,
        text: a.initial_comment ?? '',
        user: BOT_USER,
        bot: true,
        files: done,
        edits: 0,
      };
      this.messages.push(m);
    }
    return {
      ok: true,
      files: done.map((f) => ({ id: f.id, title: f.title, name: f.filename, size: f.size })),
    };
  }

  /** Image blocks accept only png/jpg/gif files, and only once Slack has processed them. */
  private fileReady(id: string): boolean {
    const f = this.files.get(id);
    if (!f || !/\.(png|jpe?g|gif)$/i.test(f.filename)) return false;
    return Date.now() - f.completedAt >= (this.opts.fileReadyDelayMs ?? 0);
  }
}
