/**
 * The fake Slack's HTTP side: the Web API methods adgen calls (auth, Socket Mode URL, chat.*,
 * reactions, threads), the files.uploadV2 upload URL and response_urls, with Slack's answers
 * (`invalid_auth`, `invalid_blocks`, `not_in_channel`, ...). Recorded state lives in `WebApiHost`.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { conversationsReplies } from './slack-history.ts';
import type { SharedFiles } from './slack-shared-files.ts';
import { type FakeView, viewsOpenError } from './slack-views.ts';
import {
  APP_ID,
  type ApiCall,
  BOT_ID,
  BOT_USER,
  type FakeEphemeral,
  type FakeFile,
  type FakeMessage,
  type Json,
  TEAM,
} from './slack-wire.ts';
import type { UploadHolds } from './upload-hold.ts';

export interface WebApiHost {
  readonly botToken: string;
  readonly appToken: string;
  readonly port: number;
  readonly dir: string;
  readonly opts: { fileReadyDelayMs?: number; memberOf?: string[] };
  readonly calls: ApiCall[];
  readonly messages: FakeMessage[];
  readonly updates: { channel: string; ts: string; text: string; blocks?: Json[] }[];
  readonly ephemerals: FakeEphemeral[];
  /** Messages removed by chat.delete (they leave `messages`). */
  readonly deleted: FakeMessage[];
  /** Modals opened with views.open. */
  readonly views: FakeView[];
  readonly uploads: FakeFile[];
  readonly reactions: { channel: string; ts: string; name: string }[];
  readonly responses: Json[];
  readonly holds: UploadHolds;
  readonly shared: SharedFiles;
  nextSeq(): number;
  nextTs(): string;
  thread(threadTs: string, channel: string): FakeMessage[];
}

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
      // Confirmation dialog object: plain_text title <= 100, text <= 300, confirm/deny <= 30.
      const c = e.confirm;
      if (
        c &&
        (tooLong(c.title, 100) || tooLong(c.text, 300) || tooLong(c.confirm, 30) || tooLong(c.deny, 30))
      )
        return 'invalid_blocks';
      if (c?.style !== undefined && !['primary', 'danger'].includes(c.style)) return 'invalid_blocks';
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

export class SlackWebApi {
  private pendingUploads = new Map<
    string,
    { filename: string; length: number; path?: string; size: number }
  >();
  private files = new Map<string, FakeFile>();

  constructor(private readonly host: WebApiHost) {}

  async route(req: http.IncomingMessage, res: http.ServerResponse) {
    const host = this.host;
    const buf = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const reply = (o: Json) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    if (url.pathname.startsWith('/upload/')) return this.receiveUpload(req, buf, url, res);
    if (url.pathname.startsWith('/files-pri/')) return host.shared.serve(req, res, host.botToken);
    if (url.pathname.startsWith('/response/')) {
      host.responses.push(JSON.parse(buf.toString() || '{}'));
      res.writeHead(200);
      return res.end('ok');
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(buf, req.headers['content-type']);
    host.calls.push({ method, args });
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    const expected = method === 'apps.connections.open' ? host.appToken : host.botToken;
    if (token !== expected) return reply({ ok: false, error: 'invalid_auth' });
    try {
      // A held upload: `before` nothing is recorded yet, `after` the file is already in the thread.
      if (method === 'files.getUploadURLExternal') {
        await host.holds.at('before', [String(args.filename)]);
        if (req.socket.destroyed) return; // the client was killed: it never got further
      }
      const out = this.api(method, args);
      if (method === 'files.completeUploadExternal')
        await host.holds.at(
          'after',
          (out.files ?? []).map((f: Json) => String(f.name)),
        );
      reply(out);
    } catch (err) {
      reply({ ok: false, error: (err as Error).message });
    }
  }

  private api(method: string, a: Record<string, Json>): Json {
    const host = this.host;
    const member = (channel: string) => {
      if (!channel) throw new Error('channel_not_found');
      if (host.opts.memberOf && !host.opts.memberOf.includes(channel)) throw new Error('not_in_channel');
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
        return {
          ok: true,
          url: `ws://127.0.0.1:${host.port}/link/?ticket=${host.nextSeq()}&app_id=${APP_ID}`,
        };
      case 'chat.postMessage': {
        member(a.channel);
        checkBlocks(a.blocks);
        const m: FakeMessage = {
          channel: a.channel,
          ts: host.nextTs(),
          thread_ts: a.thread_ts,
          text: a.text ?? '',
          blocks: a.blocks,
          user: BOT_USER,
          bot: true,
          edits: 0,
        };
        host.messages.push(m);
        return { ok: true, channel: m.channel, ts: m.ts, message: { ...m, bot_id: BOT_ID } };
      }
      case 'chat.update': {
        const m = host.messages.find((x) => x.channel === a.channel && x.ts === a.ts && x.bot);
        if (!m) throw new Error('message_not_found');
        checkBlocks(a.blocks);
        Object.assign(m, { text: a.text ?? m.text, blocks: a.blocks ?? m.blocks, edits: m.edits + 1 });
        host.updates.push({ channel: a.channel, ts: a.ts, text: m.text, blocks: m.blocks });
        return { ok: true, channel: a.channel, ts: a.ts, text: m.text };
      }
      case 'views.open': {
        const err = viewsOpenError(a);
        if (err) throw new Error(err);
        const v: FakeView = {
          id: `V${host.nextSeq()}`,
          view: typeof a.view === 'string' ? JSON.parse(a.view) : a.view,
          openedAt: Date.now(),
        };
        host.views.push(v);
        return { ok: true, view: { ...v.view, id: v.id } };
      }
      case 'chat.delete': {
        // A bot may delete only its own messages (cant_delete_message otherwise).
        const i = host.messages.findIndex((x) => x.channel === a.channel && x.ts === a.ts);
        if (i === -1) throw new Error('message_not_found');
        if (!host.messages[i]!.bot) throw new Error('cant_delete_message');
        host.deleted.push(...host.messages.splice(i, 1));
        return { ok: true, channel: a.channel, ts: a.ts };
      }
      case 'chat.postEphemeral': {
        member(a.channel);
        checkBlocks(a.blocks);
        const ts = host.nextTs();
        host.ephemerals.push({
          ts,
          channel: a.channel,
          user: a.user,
          text: a.text ?? '',
          thread_ts: a.thread_ts,
          ...(a.blocks ? { blocks: a.blocks } : {}),
        });
        return { ok: true, message_ts: ts };
      }
      case 'reactions.add':
        host.reactions.push({ channel: a.channel, ts: a.timestamp, name: a.name });
        return { ok: true };
      case 'conversations.replies':
        return conversationsReplies(host.thread(a.ts, a.channel), a);
      case 'files.getUploadURLExternal': {
        const id = `F${crypto.randomBytes(5).toString('hex').toUpperCase()}`;
        this.pendingUploads.set(id, { filename: a.filename, length: Number(a.length), size: 0 });
        return { ok: true, upload_url: `http://127.0.0.1:${host.port}/upload/v1/${id}`, file_id: id };
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
    pending.path = path.join(this.host.dir, `${id}-${path.basename(pending.filename || 'file')}`);
    pending.size = bytes.length;
    fs.writeFileSync(pending.path, bytes);
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`OK - ${bytes.length}`);
  }

  private completeUploads(a: Record<string, Json>): Json {
    const host = this.host;
    const list: { id: string; title?: string }[] = Array.isArray(a.files)
      ? a.files
      : JSON.parse(a.files ?? '[]');
    if (a.channel_id && host.opts.memberOf && !host.opts.memberOf.includes(a.channel_id))
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
      host.uploads.push(file);
      done.push(file);
    }
    if (a.channel_id) {
      const m: FakeMessage = {
        channel: a.channel_id,
        ts: host.nextTs(),
        thread_ts: a.thread_ts,
        text: a.initial_comment ?? '',
        user: BOT_USER,
        bot: true,
        files: done,
        edits: 0,
      };
      host.messages.push(m);
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
    return Date.now() - f.completedAt >= (this.host.opts.fileReadyDelayMs ?? 0);
  }
}
