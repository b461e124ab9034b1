/**
 * The fake Discord's REST side: the routes adgen's discord.js client calls, with Discord's
 * answers (including 413 + code 40005 above the upload limit). State lives in `RestHost`.
 */
import type http from 'node:http';
import { channelMessages } from './discord-history.ts';
import {
  APP_ID,
  type FakeAttachment,
  type FakeInteraction,
  type FakeMessage,
  type FakeUser,
  GUILD_ID,
  type Json,
  now,
  type ParsedBody,
  parseBody,
  threadChannel,
} from './discord-wire.ts';
import type { UploadHolds } from './upload-hold.ts';

export interface RestHost {
  readonly token: string;
  readonly base: string;
  readonly dir: string;
  readonly bot: FakeUser;
  uploadLimitBytes: number;
  readonly messages: Map<string, FakeMessage>;
  readonly edits: { messageId: string; body: Json }[];
  /** Messages removed by DELETE /channels/{c}/messages/{m}. */
  readonly deleted: FakeMessage[];
  readonly uploads: (FakeAttachment & { channelId: string; messageId: string })[];
  readonly followUps: (FakeMessage & { ephemeral: boolean })[];
  readonly interactions: Map<string, FakeInteraction>;
  readonly channels: Map<string, Json>;
  readonly commands: { scope: string; body: Json }[];
  readonly requests: string[];
  readonly holds: UploadHolds;
  nextId(): string;
  dispatch(t: string, d: Json): void;
}

/** The message as Discord sends it (no test-only fields). */
export function wire(m: FakeMessage): Json {
  const { edits: _edits, ...rest } = m;
  return { ...rest, attachments: m.attachments.map(({ path: _p, ...a }) => a) };
}

/** Discord semantics: `attachments` lists old files to keep; new files are appended. */
function applyEdit(host: RestHost, m: FakeMessage, body: Json, files: FakeAttachment[], fresh = false) {
  if (body.content !== undefined) m.content = body.content ?? '';
  if (body.components !== undefined) m.components = body.components ?? [];
  if (body.flags !== undefined) m.flags = body.flags;
  if (!fresh && Array.isArray(body.attachments)) {
    const keep = new Set(body.attachments.map((a: Json) => String(a.id)));
    m.attachments = m.attachments.filter((a) => keep.has(a.id));
  }
  m.attachments.push(...files);
  if (body.embeds !== undefined) {
    // Like Discord, `attachment://name` becomes the stored file's URL.
    m.embeds = (body.embeds ?? []).map((e: Json) => {
      const name = e.image?.url?.startsWith('attachment://') ? e.image.url.slice(13) : null;
      const file = name ? m.attachments.find((a) => a.filename === name) : null;
      return file ? { ...e, image: { url: file.url, proxy_url: file.proxy_url } } : e;
    });
  }
  for (const f of files) host.uploads.push({ ...f, channelId: m.channel_id, messageId: m.id });
}

export function addMessage(
  host: RestHost,
  channelId: string,
  author: FakeUser,
  body: Json,
  files: FakeAttachment[] = [],
) {
  const m: FakeMessage = {
    ...{ id: host.nextId(), channel_id: channelId, guild_id: GUILD_ID, author, content: '', embeds: [] },
    ...{ components: [], attachments: [], flags: 0, edits: 0, timestamp: now(), edited_timestamp: null },
    ...{ tts: false, mention_everyone: false, mentions: [], mention_roles: [], pinned: false, type: 0 },
  };
  applyEdit(host, m, body, files, true);
  host.messages.set(m.id, m);
  return m;
}

function edit(host: RestHost, m: FakeMessage, b: ParsedBody) {
  applyEdit(host, m, b.json, b.files);
  m.edits++;
  m.edited_timestamp = now();
  host.edits.push({ messageId: m.id, body: b.json });
}

interface Ctx {
  host: RestHost;
  raw: Buffer;
  query: URLSearchParams;
  /** The client hung up (killed): a request it never finished sending is not acted on. */
  gone(): boolean;
  body(): Promise<ParsedBody>;
}
type Reply = [status: number, body?: Json];
type Handler = (c: Ctx, m: RegExpExecArray) => Reply | Promise<Reply>;

const TOO_LARGE: Reply = [413, { message: 'Request entity too large', code: 40005 }];
const unknown = (what: string, code: number): Reply => [404, { message: `Unknown ${what}`, code }];

const ROUTES: [string, RegExp, Handler][] = [
  [
    'GET',
    /^\/gateway\/bot$/,
    ({ host }) => [
      200,
      {
        url: host.base,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      },
    ],
  ],
  // The bot's own user (Discord "Get Current User"): how a REST-only sender learns its id.
  ['GET', /^\/users\/@me$/, ({ host }) => [200, host.bot]],
  ['GET', /^\/applications\/@me$/, () => [200, { id: APP_ID, name: 'adgen', bot_public: true }]],
  [
    'PUT',
    /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/,
    ({ host, raw }, m) => {
      if (m[1] !== APP_ID) return unknown('Application', 10002);
      const body = JSON.parse(String(raw));
      host.commands.push({ scope: m[2] ? `guild ${m[2]}` : 'global', body });
      const saved = body.map((c: Json, i: number) => ({
        ...c,
        id: String(900000000000000001n + BigInt(i)),
        application_id: APP_ID,
        guild_id: m[2],
        version: '1',
      }));
      return [200, saved];
    },
  ],
  [
    'POST',
    /^\/interactions\/(\d+)\/([^/]+)\/callback$/,
    async ({ host, body }, m) => {
      const rec = host.interactions.get(m[1]!);
      if (!rec || rec.token !== m[2]) return unknown('interaction', 10062);
      if (rec.callback) return [400, { message: 'Interaction has already been acknowledged.', code: 40060 }];
      const { json, files } = await body();
      // 9 = MODAL: only as the first response to a command or component (not to a modal submit).
      if (json.type === 9) {
        const problem = modalProblem(json.data);
        if (rec.type === 5 || problem)
          return [400, { message: `Invalid Form Body (${problem ?? 'modal after modal'})`, code: 50035 }];
        rec.modal = json.data;
      }
      rec.callback = { type: json.type, latencyMs: performance.now() - rec.sentAt };
      // 5 = deferred reply: a "thinking" message (flag 128) that @original later replaces.
      if (json.type === 5 || json.type === 4) {
        const flags = (json.data?.flags ?? 0) | (json.type === 5 ? 128 : 0);
        rec.originalMessageId = addMessage(
          host,
          rec.channelId,
          host.bot,
          { ...(json.data ?? {}), flags },
          files,
        ).id;
      }
      return [204];
    },
  ],
  [
    'PATCH',
    /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/,
    async ({ host, body }, m) => {
      const rec = [...host.interactions.values()].find((i) => i.token === m[2]);
      const msg = host.messages.get((m[3] === '@original' ? rec?.originalMessageId : m[3]) ?? '');
      if (!rec?.callback || !msg) return unknown('Message', 10008);
      const b = await body();
      if (b.tooLarge) return TOO_LARGE;
      edit(host, msg, { ...b, json: { ...b.json, flags: msg.flags & ~128 } });
      return [200, wire(msg)];
    },
  ],
  [
    'POST',
    /^\/webhooks\/(\d+)\/([^/]+)$/,
    async ({ host, body }, m) => {
      const rec = [...host.interactions.values()].find((i) => i.token === m[2]);
      if (!rec?.callback) return unknown('Webhook', 10015);
      const b = await body();
      if (b.tooLarge) return TOO_LARGE;
      const msg = addMessage(host, rec.channelId, host.bot, b.json, b.files);
      const ephemeral = ((b.json.flags ?? 0) & 64) !== 0;
      host.followUps.push({ ...msg, ephemeral });
      // Only the clicking user sees an ephemeral message: it is not part of the channel.
      if (ephemeral) host.messages.delete(msg.id);
      return [200, wire(msg)];
    },
  ],
  [
    'GET',
    /^\/channels\/(\d+)$/,
    ({ host }, m) => {
      const ch = host.channels.get(m[1]!);
      return ch ? [200, ch] : unknown('Channel', 10003);
    },
  ],
  [
    'POST',
    /^\/channels\/(\d+)\/messages$/,
    async ({ host, body, gone }, m) => {
      if (!host.channels.has(m[1]!)) return unknown('Channel', 10003);
      const b = await body();
      if (b.tooLarge) return TOO_LARGE;
      // A held upload: `before` nothing is in the channel yet, `after` the message is.
      const names = b.files.map((f) => f.filename);
      if (names.length) await host.holds.at('before', names);
      if (gone()) return [499, { message: 'client closed the connection', code: 0 }];
      const msg = addMessage(host, m[1]!, host.bot, b.json, b.files);
      host.dispatch('MESSAGE_CREATE', wire(msg));
      if (names.length) await host.holds.at('after', names);
      return [200, wire(msg)];
    },
  ],
  [
    'GET',
    /^\/channels\/(\d+)\/messages$/,
    ({ host, query }, m) =>
      channelMessages(host.messages.values(), host.channels.has(m[1]!), m[1]!, query, wire),
  ],
  [
    'GET',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    ({ host }, m) => {
      const msg = host.messages.get(m[2]!);
      return msg && msg.channel_id === m[1] ? [200, wire(msg)] : unknown('Message', 10008);
    },
  ],
  [
    'PATCH',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    async ({ host, body }, m) => {
      const msg = host.messages.get(m[2]!);
      if (!msg || msg.channel_id !== m[1]) return unknown('Message', 10008);
      const b = await body();
      if (b.tooLarge) return TOO_LARGE;
      edit(host, msg, b);
      return [200, wire(msg)];
    },
  ],
  [
    'DELETE',
    /^\/channels\/(\d+)\/messages\/(\d+)$/,
    ({ host }, m) => {
      const msg = host.messages.get(m[2]!);
      if (!msg || msg.channel_id !== m[1]) return unknown('Message', 10008);
      host.messages.delete(msg.id);
      host.deleted.push(msg);
      host.dispatch('MESSAGE_DELETE', { id: msg.id, channel_id: msg.channel_id, guild_id: msg.guild_id });
      return [204, null];
    },
  ],
  [
    'POST',
    /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/,
    ({ host, raw }, m) => {
      if (!host.messages.has(m[2]!)) return unknown('Message', 10008);
      if (host.channels.has(m[2]!))
        return [400, { message: 'A thread has already been created for this message', code: 160004 }];
      const json = JSON.parse(String(raw));
      const thread = threadChannel(m[2]!, m[1]!, json.name, json.auto_archive_duration ?? 1440);
      host.channels.set(thread.id, thread);
      host.dispatch('THREAD_CREATE', { ...thread, newly_created: true });
      return [201, thread];
    },
  ],
];

/** Discord's modal rules that matter here: custom_id, title <= 45, 1-5 rows of one text input. */
function modalProblem(d: Json): string | null {
  if (!d?.custom_id || String(d.custom_id).length > 100) return 'custom_id';
  if (!d.title || String(d.title).length > 45) return 'title';
  const rows = d.components;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > 5) return 'components';
  for (const r of rows) {
    const input = r?.components?.[0];
    if (r.type !== 1 || r.components.length !== 1 || input?.type !== 4) return 'text input row';
    if (!input.custom_id || !input.label || String(input.label).length > 45 || ![1, 2].includes(input.style))
      return 'text input';
  }
  return null;
}

export async function handleRest(
  host: RestHost,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  raw: Buffer,
) {
  const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const method = req.method ?? 'GET';
  const authed = req.headers.authorization === `Bot ${host.token}`;
  const r = p.slice('/api/v10'.length);
  // Interaction callbacks and webhooks authenticate with the interaction token, not the bot's.
  const tokenRoute = r.startsWith('/interactions/') || r.startsWith('/webhooks/');
  let reply: Reply = [404, { message: `Unknown route (fake): ${method} ${p}`, code: 0 }];
  if (!p.startsWith('/api/v10/')) reply = [404, { message: '404: Not Found', code: 0 }];
  else if (!tokenRoute && !authed) reply = [401, { message: '401: Unauthorized', code: 0 }];
  else {
    const ctx: Ctx = {
      host,
      raw,
      query: new URL(req.url ?? '/', 'http://x').searchParams,
      gone: () => req.socket.destroyed,
      body: () =>
        parseBody(req, raw, {
          dir: host.dir,
          base: host.base,
          limit: host.uploadLimitBytes,
          nextId: () => host.nextId(),
        }),
    };
    for (const [verb, pattern, handler] of ROUTES) {
      const m = verb === method ? pattern.exec(r) : null;
      if (m) {
        reply = await handler(ctx, m);
        break;
      }
    }
  }
  host.requests.push(
    `${method} ${p.replace(/\/[\w-]{60,}/g, '/:token')} ${reply[0]} auth=${authed ? 'yes' : 'no'}`,
  );
  // An empty JSON body crashes undici in discord.js: 204 must come without a content-type.
  if (reply[0] === 204) return void res.writeHead(204).end();
  res.writeHead(reply[0], { 'content-type': 'application/json' }).end(JSON.stringify(reply[1]));
}
