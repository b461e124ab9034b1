/**
 * A loopback Slack for tests: the Web API methods adgen uses, the files.uploadV2 upload URL, a
 * Socket Mode websocket, and a "user does X" API. The REAL @slack/bolt app talks to it
 * (ARCHITECTURE.md example 10); protocol details follow ../../../shared/reference/slack-fake.js.
 * The Web API and upload handlers live in slack-web-api.ts, payload shapes in slack-wire.ts.
 *
 *   const slack = await FakeSlack.start();
 *   const adapter = createSlackAdapter(slack.slackConfig(), { retryConfig: { retries: 0 } });
 *   await adapter.start(handler); await slack.waitForConnection();
 *   await slack.slashCommand('U1', 'red sneakers');   // resolves once acked
 *
 * It mirrors Slack's checks that matter to us: tokens, Block Kit limits (`invalid_blocks`), a
 * fresh upload not yet referenceable (`fileReadyDelayMs`), channel membership (`memberOf`).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';
import type { SlackConfig } from '../../src/config.ts';
import { SharedFiles } from './slack-shared-files.ts';
import { type FakeView, viewSubmissionPayload } from './slack-views.ts';
import { SlackWebApi, type WebApiHost } from './slack-web-api.ts';
import {
  type ApiCall,
  BOT_USER,
  blockActionsPayload,
  CHANNEL,
  type Envelope,
  escapeText,
  eventCallback,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  findAction,
  HELLO,
  httpDelivery,
  type Json,
  slashCommandPayload,
  socketEnvelope,
  TEAM,
} from './slack-wire.ts';
import { type HoldWhen, type UploadHold, UploadHolds } from './upload-hold.ts';

export type { ApiCall, Envelope, FakeEphemeral, FakeFile, FakeMessage } from './slack-wire.ts';
export { BOT_ID, BOT_USER, CHANNEL, signedRequest, TEAM } from './slack-wire.ts';

export interface FakeSlackOptions {
  botToken?: string;
  appToken?: string;
  /** A new upload is `invalid_blocks` in an image block for this long (Slack's processing delay). */
  fileReadyDelayMs?: number;
  /** When set, posting anywhere else fails with `not_in_channel`. */
  memberOf?: string[];
  /** How long the user API waits for an ack before it rejects. */
  ackTimeoutMs?: number;
  /**
   * How often `waitFor` looks again (10 ms). bench:scale's 40 people waiting at once look every
   * 50 ms: at 10 ms their looks were CPU taken from the processes it measures.
   */
  pollMs?: number;
}

export class FakeSlack implements WebApiHost {
  readonly botToken: string;
  readonly appToken: string;
  readonly calls: ApiCall[] = [];
  readonly messages: FakeMessage[] = [];
  readonly updates: { channel: string; ts: string; text: string; blocks?: Json[] }[] = [];
  readonly ephemerals: FakeEphemeral[] = [];
  readonly deleted: FakeMessage[] = [];
  readonly views: FakeView[] = [];
  readonly uploads: FakeFile[] = [];
  readonly reactions: { channel: string; ts: string; name: string }[] = [];
  /** Bodies POSTed to slash-command response_urls. */
  readonly responses: Json[] = [];
  readonly envelopes: Envelope[] = [];
  /** Upload answers held for kill-in-the-window tests (`holdUpload`). */
  readonly holds = new UploadHolds();
  /** Files users shared into threads, and every download of them (slack-shared-files.ts). */
  readonly shared = new SharedFiles();
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-slack-'));
  /** Socket Mode connections opened so far (a reconnect adds one). */
  connections = 0;

  private web = new SlackWebApi(this);
  private server = http.createServer((req, res) => void this.web.route(req, res));
  private wss = new WebSocketServer({ server: this.server, path: '/link/' });
  private socket: WebSocket | undefined;
  /** Every open Socket Mode connection (an app may hold several: scaled-out gateways). */
  private sockets = new Set<WebSocket>();
  private pending = new Map<string, (ms: number) => void>();
  private seq = 0;
  private lastSecond = 0;
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

  /**
   * Holds the next `.mp4` upload: `before` holds `files.getUploadURLExternal` (nothing recorded),
   * `after` holds the answer of `files.completeUploadExternal` once the file is in the thread.
   */
  holdUpload(when: HoldWhen): UploadHold {
    return this.holds.add(when);
  }

  async stop(): Promise<void> {
    this.holds.releaseAll();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- the "user does X" API (each resolves once the app acked) ------------------------------

  slashCommand(user: string, text: string, channel = CHANNEL): Promise<Envelope> {
    const payload = slashCommandPayload(user, text, channel, this.port, ++this.seq);
    return this.deliverAcked('slash_commands', payload);
  }

  /** A user's reply in a thread (recorded as a message, then sent as a `message` event). */
  say(user: string, threadTs: string, text: string, channel = CHANNEL): Promise<Envelope> {
    const ts = this.nextTs();
    this.messages.push({ channel, ts, thread_ts: threadTs, text, user, bot: false, edits: 0 });
    const event = { type: 'message', user, text: escapeText(text), ts, thread_ts: threadTs, channel };
    return this.deliverAcked(
      'events_api',
      eventCallback({ ...event, channel_type: 'channel', event_ts: ts }, ++this.seq),
    );
  }

  /** A user shares a file into a thread: a `file_share` message event with the file object. */
  shareFile(
    user: string,
    threadTs: string,
    file: { name: string; bytes: Buffer; declaredSize?: number; mimetype?: string },
    text = '',
    channel = CHANNEL,
  ): Promise<Envelope> {
    const f = this.shared.add(file.name, file.bytes, file);
    const ts = this.nextTs();
    this.messages.push({ channel, ts, thread_ts: threadTs, text, user, bot: false, edits: 0 });
    const files = [this.shared.fileObject(f, this.port, user)];
    const event = {
      type: 'message',
      subtype: 'file_share',
      user,
      text,
      ts,
      thread_ts: threadTs,
      channel,
      files,
    };
    return this.deliverAcked(
      'events_api',
      eventCallback({ ...event, upload: true, channel_type: 'channel', event_ts: ts }, ++this.seq),
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
    const action = findAction(message, actionId, value) ?? {
      type: 'button',
      action_id: actionId,
      value: value ?? '',
      text: { type: 'plain_text', text: actionId },
    };
    const payload = blockActionsPayload(
      user,
      message,
      { ...action, action_ts: actionTs },
      this.port,
      ++this.seq,
    );
    return this.deliverAcked('interactive', payload);
  }

  /**
   * A click on a button of an ephemeral message: Slack sends `container.is_ephemeral: true` and
   * no `message` object (the message exists only in that user's client).
   */
  clickEphemeral(user: string, e: FakeEphemeral, actionId: string): Promise<Envelope> {
    const asMessage = {
      channel: e.channel,
      ts: e.ts ?? '',
      thread_ts: e.thread_ts,
      text: e.text,
      blocks: e.blocks,
      user: BOT_USER,
      bot: true,
      edits: 0,
    } as FakeMessage;
    const action = findAction(asMessage, actionId);
    if (!action) throw new Error(`no ${actionId} on that ephemeral message`);
    const payload = blockActionsPayload(
      user,
      asMessage,
      { ...action, action_ts: `${Date.now() / 1000}` },
      this.port,
      ++this.seq,
    );
    payload.container.is_ephemeral = true;
    delete payload.message;
    return this.deliverAcked('interactive', payload);
  }

  /** The user types into an open modal and presses Submit. */
  submitView(user: string, v: FakeView, values: Record<string, Record<string, string>>): Promise<Envelope> {
    return this.deliverAcked('interactive', viewSubmissionPayload(user, v, values, TEAM));
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
    return this.deliverAcked('events_api', eventCallback(event, ++this.seq));
  }

  /** The same delivery again (same event_id / trigger_id), as Slack does after a missed ack. */
  redeliver(envelope: Envelope): Promise<Envelope> {
    return this.deliverAcked(envelope.type, envelope.payload, envelope.retryAttempt + 1);
  }

  /**
   * The same delivery (same event_id / trigger_id) on every OTHER open connection too, each
   * waiting for its ack: Slack may hand an app's event to any of its connections, and a retry
   * can land on another one, so two gateways can both receive one event.
   */
  fanOut(envelope: Envelope): Promise<Envelope[]> {
    const others = [...this.sockets].filter((ws) => ws !== this.socket && ws.readyState === WebSocket.OPEN);
    return Promise.all(others.map((ws) => this.deliverAcked(envelope.type, envelope.payload, 0, ws)));
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

  /** Polls `probe` (sync or async) until it returns something truthy. */
  async waitFor<T>(
    probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
    what = 'condition',
    timeoutMs = 5000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`fake slack: timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, this.opts.pollMs ?? 10));
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

  /** For the Web API handlers: the next sequence number (ids, tickets). */
  nextSeq(): number {
    return ++this.seq;
  }

  /** For the Web API handlers: a fresh message ts. */
  nextTs(): string {
    this.seq += 1;
    // Wall-clock seconds, like Slack (history queries take `oldest`/`latest` times); never going back.
    this.lastSecond = Math.max(this.lastSecond, Math.floor(Date.now() / 1000));
    return `${this.lastSecond}.${String(this.seq).padStart(6, '0')}`;
  }

  private async deliverAcked(
    type: Envelope['type'],
    payload: Json,
    retry = 0,
    socket = this.socket,
  ): Promise<Envelope> {
    const env = this.deliver(type, payload, retry, socket);
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

  private deliver(
    type: Envelope['type'],
    payload: Json,
    retryAttempt: number,
    socket = this.socket,
  ): Envelope {
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
    if (!socket || socket.readyState !== WebSocket.OPEN) throw new Error('fake slack: no socket connection');
    this.pending.set(id, () => done());
    socket.send(JSON.stringify(socketEnvelope(id, type, payload, retryAttempt)));
    return env;
  }

  private async postHttp(type: Envelope['type'], payload: Json, retryAttempt: number): Promise<number> {
    const { url, secret } = this.http!;
    const { body, headers } = httpDelivery(type, payload, retryAttempt, secret);
    const res = await fetch(url, { method: 'POST', body, headers });
    await res.text();
    return res.status;
  }

  private onSocket(ws: WebSocket) {
    this.socket = ws;
    this.sockets.add(ws);
    ws.on('close', () => {
      this.sockets.delete(ws);
      // The newest connection still open takes the deliveries, as Slack spreads them over live ones.
      if (this.socket === ws) this.socket = [...this.sockets].pop();
    });
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
    ws.send(JSON.stringify(HELLO));
  }
}
