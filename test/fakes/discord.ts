/**
 * A loopback Discord for tests: `gateway/bot`, the gateway websocket (HELLO, heartbeat ACK,
 * IDENTIFY -> READY + GUILD_CREATE, RESUME with replay, forced disconnects) and the REST routes
 * adgen uses (discord-rest.ts), so the REAL discord.js client runs against it (ARCHITECTURE.md
 * example 10). Protocol details follow ../../../shared/reference/discord-fake.js.
 *
 *   const discord = await FakeDiscord.start({ uploadLimitBytes: 10 * 1024 * 1024 });
 *   const adapter = createDiscordAdapter(discord.config());
 *   await adapter.start(handler);
 *   const slash = discord.slash('alice', 'red sneakers');   // INTERACTION_CREATE
 *   await discord.waitFor(() => slash.callback);            // { type: 5, latencyMs }
 *
 * It records every message, edit, upload (bytes saved to temp files for ffprobe) and how long
 * each interaction waited for its initial response (Discord allows 3 s).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type WebSocket, WebSocketServer } from 'ws';
import type { DiscordConfig } from '../../src/config.ts';
import { addMessage, handleRest, type RestHost, wire } from './discord-rest.ts';
import {
  APP_ID,
  CHANNEL_ID,
  COMMAND_ID,
  type FakeAttachment,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  GUILD_ID,
  guildCreate,
  type Json,
  member,
  PERMS,
  textChannel,
} from './discord-wire.ts';
import { type HoldWhen, type UploadHold, UploadHolds } from './upload-hold.ts';

export type { FakeAttachment, FakeInteraction, FakeMessage, FakeUser } from './discord-wire.ts';

export interface FakeDiscordOptions {
  token?: string;
  /** Per-file limit enforced on uploads (413 + code 40005 above it). Default 10 MiB. */
  uploadLimitBytes?: number;
  /** `attachment_size_limit` sent in interactions; null leaves it out. Defaults to the limit. */
  attachmentSizeLimit?: number | null;
  heartbeatIntervalMs?: number;
  premiumTier?: number;
  /** A forum channel (type 15, as Discord lists it in GUILD_CREATE) next to the text channel. */
  forumChannelId?: string;
}

export class FakeDiscord implements RestHost {
  readonly token: string;
  readonly ids = { app: APP_ID, guild: GUILD_ID, channel: CHANNEL_ID, bot: APP_ID };
  readonly bot: FakeUser = {
    id: APP_ID,
    username: 'adgen',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  readonly messages = new Map<string, FakeMessage>();
  readonly edits: { messageId: string; body: Json }[] = [];
  readonly deleted: FakeMessage[] = [];
  readonly uploads: (FakeAttachment & { channelId: string; messageId: string })[] = [];
  readonly followUps: (FakeMessage & { ephemeral: boolean })[] = [];
  readonly interactions = new Map<string, FakeInteraction>();
  readonly channels = new Map<string, Json>([[CHANNEL_ID, textChannel(CHANNEL_ID, 'general')]]);
  readonly commands: { scope: string; body: Json }[] = [];
  /** `METHOD /path status auth=yes|no` (tokens masked), to check what the client did. */
  readonly requests: string[] = [];
  /** Upload answers held for kill-in-the-window tests (`holdUpload`). */
  readonly holds = new UploadHolds();
  readonly gateway = { connections: 0, identifies: 0, resumes: 0, heartbeats: 0, intents: 0 };
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-discord-'));
  uploadLimitBytes: number;
  private readonly opts: FakeDiscordOptions;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly users = new Map<string, FakeUser>();
  private sock: WebSocket | null = null;
  private session: string | null = null;
  private seq = 0;
  private history: Json[] = [];
  private lastId = 500000000000000000n;
  private readyWaiters: (() => void)[] = [];
  private readonly payloads = new Map<string, Json>();

  private constructor(opts: FakeDiscordOptions) {
    this.opts = opts;
    this.token = opts.token ?? 'MTAwMDAwMDAwMDAwMDAwMDAx.fake.c2VjcmV0LWJvdC10b2tlbi1mb3ItdGVzdHM';
    this.uploadLimitBytes = opts.uploadLimitBytes ?? 10 * 1024 * 1024;
    if (opts.forumChannelId)
      this.channels.set(opts.forumChannelId, {
        ...textChannel(opts.forumChannelId, 'ideas'),
        type: 15,
        available_tags: [],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: 0,
      });
    this.server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const file = /^\/attachments\/(\d+)\/(.+)$/.exec(req.url ?? '');
      if (file)
        return void res.writeHead(200).end(fs.readFileSync(path.join(this.dir, `${file[1]}-${file[2]}`)));
      await handleRest(this, req, res, Buffer.concat(chunks)).catch((err) => {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: String(err), code: 0 }));
      });
    });
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(opts);
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    return fake;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  get apiUrl(): string {
    return `${this.base}/api`;
  }
  config(overrides: Partial<DiscordConfig> = {}): DiscordConfig {
    return {
      token: this.token,
      applicationId: APP_ID,
      guildIds: [GUILD_ID],
      apiUrl: this.apiUrl,
      ...overrides,
    };
  }
  /**
   * Holds the next message POST carrying an `.mp4`: `before` it is recorded (nothing in the
   * channel), or `after` (the message is in the channel, the answer not sent yet).
   */
  holdUpload(when: HoldWhen): UploadHold {
    return this.holds.add(when);
  }

  /** From now on interactions carry this `attachment_size_limit` (null: leave the field out). */
  setAttachmentSizeLimit(bytes: number | null): void {
    this.opts.attachmentSizeLimit = bytes;
  }

  /** Sends the same INTERACTION_CREATE again (same id and token), as a gateway replay can. */
  redeliver(rec: FakeInteraction): void {
    const payload = this.payloads.get(rec.id);
    if (!payload) throw new Error(`no interaction ${rec.id}`);
    this.dispatch('INTERACTION_CREATE', payload);
  }

  /** Interaction callback POSTs the client made for an interaction (Discord acks only one). */
  callbackPosts(rec: FakeInteraction): number {
    return this.requests.filter((r) => r.startsWith(`POST /api/v10/interactions/${rec.id}/`)).length;
  }

  /** Real snowflakes (ms since 2015 << 22), increasing: history queries compare them to time. */
  nextId(): string {
    const now = (BigInt(Date.now()) - 1_420_070_400_000n) << 22n;
    this.lastId = now > this.lastId ? now : this.lastId + 1n;
    return String(this.lastId);
  }

  // ---- "a user does X" ------------------------------------------------------------------------

  /** The member called `name` (created on first use). */
  user(name: string): FakeUser {
    let u = this.users.get(name);
    if (!u) {
      const id = String(400000000000000000n + BigInt(this.users.size + 1));
      u = { id, username: name, global_name: name, discriminator: '0', avatar: null };
      this.users.set(name, u);
    }
    return u;
  }

  /** `/adgen [idea]` in the main text channel; `extra` overrides payload fields. */
  slash(who: string | FakeUser, idea?: string, extra: Json = {}): FakeInteraction {
    const options = idea === undefined ? [] : [{ name: 'idea', type: 3, value: idea }];
    const data = { id: COMMAND_ID, name: 'adgen', type: 1, options };
    return this.interact(who, 2, this.channels.get(CHANNEL_ID), { data, ...extra });
  }

  /** A button click, or a string-select choice when `values` is given. */
  click(
    who: string | FakeUser,
    message: FakeMessage | string,
    customId: string,
    values?: string[],
  ): FakeInteraction {
    const wanted = typeof message === 'string' ? message : message.id;
    // An ephemeral follow-up is not in the channel, but its clicker can press its buttons.
    const m = this.messages.get(wanted) ?? this.followUps.find((f) => f.id === wanted);
    if (!m) throw new Error(`no message ${typeof message === 'string' ? message : message.id}`);
    const data = values
      ? { component_type: 3, custom_id: customId, values }
      : { component_type: 2, custom_id: customId };
    return this.interact(who, 3, this.channels.get(m.channel_id), { data, message: wire(m) });
  }

  /** The user fills the modal `opened` showed and presses Submit (a MODAL_SUBMIT interaction). */
  submitModal(
    who: string | FakeUser,
    opened: FakeInteraction,
    values: Record<string, string>,
    from?: FakeMessage,
  ): FakeInteraction {
    if (!opened.modal) throw new Error('that interaction opened no modal');
    const components = Object.entries(values).map(([custom_id, value]) => ({
      type: 1,
      components: [{ type: 4, custom_id, value }],
    }));
    return this.interact(who, 5, this.channels.get(opened.channelId), {
      data: { custom_id: opened.modal.custom_id, components },
      ...(from ? { message: wire(from) } : {}),
    });
  }

  /** Any INTERACTION_CREATE (malformed-input tests): `d` is merged over a valid payload. */
  interact(who: string | FakeUser, type: number, channel: Json, d: Json): FakeInteraction {
    const user = typeof who === 'string' ? this.user(who) : who;
    const id = this.nextId();
    const limit =
      this.opts.attachmentSizeLimit === undefined ? this.uploadLimitBytes : this.opts.attachmentSizeLimit;
    const channelId = channel?.id ?? CHANNEL_ID;
    const rec: FakeInteraction = {
      id,
      token: `itok-${id}-${'x'.repeat(80)}`,
      type,
      user,
      channelId,
      sentAt: performance.now(),
    };
    this.interactions.set(id, rec);
    this.send('INTERACTION_CREATE', id, {
      ...{
        id,
        application_id: APP_ID,
        type,
        token: rec.token,
        version: 1,
        guild_id: GUILD_ID,
        channel_id: channelId,
      },
      ...{
        channel,
        member: { ...member(user), permissions: PERMS },
        app_permissions: PERMS,
        locale: 'en-US',
      },
      // discord.js crashes on an interaction without `entitlements`.
      ...{
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { 0: GUILD_ID },
        context: 0,
      },
      ...(limit === null ? {} : { attachment_size_limit: limit }),
      ...d,
    });
    return rec;
  }

  private send(t: string, interactionId: string, d: Json): void {
    this.payloads.set(interactionId, d);
    this.dispatch(t, d);
  }

  /** A human message in a thread (or any channel). */
  say(who: string | FakeUser, channelId: string, text: string): FakeMessage {
    const user = typeof who === 'string' ? this.user(who) : who;
    const m = addMessage(this, channelId, user, { content: text });
    const { user: _u, ...memberWithoutUser } = member(user);
    this.dispatch('MESSAGE_CREATE', { ...wire(m), member: memberWithoutUser });
    return m;
  }

  /**
   * A human message with a file attached (a logo upload): Discord puts the attachment on its CDN
   * and the MESSAGE_CREATE carries `attachments[]` with `size` and a public `url`.
   */
  attach(
    who: string | FakeUser,
    channelId: string,
    file: { name: string; bytes: Buffer },
    text = '',
  ): FakeMessage {
    const user = typeof who === 'string' ? this.user(who) : who;
    const id = this.nextId();
    const saved = path.join(this.dir, `${id}-${file.name}`);
    fs.writeFileSync(saved, file.bytes);
    const url = `${this.base}/attachments/${id}/${file.name}`;
    const attachment = { id, filename: file.name, size: file.bytes.length, url, proxy_url: url, path: saved };
    const m = addMessage(this, channelId, user, { content: text }, [attachment]);
    const { user: _u, ...memberWithoutUser } = member(user);
    this.dispatch('MESSAGE_CREATE', { ...wire(m), member: memberWithoutUser });
    return m;
  }

  /** A reaction (or its removal) on any message, cached by the client or not. */
  react(who: string | FakeUser, channelId: string, messageId: string, emoji: string, added = true): void {
    const user = typeof who === 'string' ? this.user(who) : who;
    const custom = /^<:(\w+):(\d+)>$/.exec(emoji);
    const e = custom ? { id: custom[2], name: custom[1] } : { id: null, name: emoji };
    const d = {
      user_id: user.id,
      channel_id: channelId,
      message_id: messageId,
      guild_id: GUILD_ID,
      emoji: e,
      burst: false,
      type: 0,
    };
    // Like Discord: an add carries the member, a remove only the user id.
    this.dispatch(
      added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE',
      added ? { ...d, member: member(user) } : d,
    );
  }

  /**
   * Drops the gateway connection. With `resume` (default) the client RESUMEs and gets the events
   * it missed replayed; without, the session is invalid (op 9) and it must IDENTIFY again, which
   * discord.js throttles to one per 5 s. Resolves once the client is back.
   */
  async disconnect({ resume = true }: { resume?: boolean } = {}): Promise<void> {
    if (!resume) this.session = `invalid-${this.session}`;
    const back = new Promise<void>((r) => this.readyWaiters.push(r));
    this.sock?.close(4000, 'fake disconnect');
    this.sock = null;
    await back;
  }

  inChannel(channelId: string): FakeMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Polls `fn` (sync or async) until it returns something truthy. */
  async waitFor<T>(
    fn: () => T | undefined | false | null | Promise<T | undefined | false | null>,
    timeoutMs = 10_000,
  ): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error('FakeDiscord.waitFor timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    this.holds.releaseAll();
    for (const c of this.wss.clients) c.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- gateway ---------------------------------------------------------------------------------

  /** Events go to history first, so a RESUME after a drop replays what was missed. */
  dispatch(t: string, d: Json): void {
    const p = { op: 0, t, s: ++this.seq, d };
    this.history.push(p);
    if (this.history.length > 1000) this.history.shift();
    const sock = this.sock;
    if (sock && sock.readyState === sock.OPEN) sock.send(JSON.stringify(p));
  }

  private onConnection(ws: WebSocket) {
    this.gateway.connections++;
    const out = (p: Json) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(p));
    out({ op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs ?? 41_250 }, s: null, t: null });
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw));
      if (msg.op === 1) {
        this.gateway.heartbeats++;
        out({ op: 11, d: null, s: null, t: null });
      } else if ((msg.op === 2 || msg.op === 6) && msg.d?.token !== this.token) {
        ws.close(4004, 'Authentication failed');
      } else if (msg.op === 2) {
        this.identify(ws, msg.d.intents);
      } else if (msg.op === 6 && msg.d.session_id !== this.session) {
        out({ op: 9, d: false, s: null, t: null });
      } else if (msg.op === 6) {
        this.gateway.resumes++;
        this.sock = ws;
        for (const p of this.history.filter((h) => h.s > msg.d.seq)) out(p);
        this.dispatch('RESUMED', {});
        this.woke();
      }
    });
    ws.on('close', () => {
      if (this.sock === ws) this.sock = null;
    });
  }

  private identify(ws: WebSocket, intents: number) {
    this.gateway.identifies++;
    this.gateway.intents = intents;
    this.session = `sess-${this.gateway.identifies}`;
    this.seq = 0;
    this.history = [];
    this.sock = ws;
    const ready = {
      v: 10,
      user: this.bot,
      guilds: [{ id: GUILD_ID, unavailable: true }],
      session_id: this.session,
    };
    this.dispatch('READY', {
      ...ready,
      resume_gateway_url: this.base,
      shard: [0, 1],
      application: { id: APP_ID, flags: 0 },
    });
    const premium = this.opts.premiumTier ?? 0;
    this.dispatch(
      'GUILD_CREATE',
      guildCreate(this.bot, [...this.users.values()], [...this.channels.values()], premium),
    );
    this.woke();
  }

  private woke() {
    for (const w of this.readyWaiters.splice(0)) w();
  }
}
