/**
 * The fake Slack's `conversations.replies`, as documented: the parent message first, then the
 * replies oldest to newest; `limit` (default and max 1000), an opaque `cursor` taken from
 * `response_metadata.next_cursor`, `has_more`; `oldest` / `latest` bound the message times
 * (exclusive unless `inclusive`); file messages carry `files[]` (id, name, title).
 */
import { BOT_ID, type FakeFile, type FakeMessage, type Json } from './slack-wire.ts';

const MAX_LIMIT = 1000;

/** A file object as messages carry it (the documented fields our code and tests need). */
function wireFile(f: FakeFile): Json {
  return {
    id: f.id,
    name: f.filename,
    title: f.title,
    mimetype: f.filename.endsWith('.mp4') ? 'video/mp4' : 'application/octet-stream',
    filetype: f.filename.split('.').pop() ?? '',
    size: f.size,
    user: 'U0ADGEN',
  };
}

function wireMessage(m: FakeMessage): Json {
  return {
    type: 'message',
    ts: m.ts,
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
    text: m.text,
    user: m.user,
    ...(m.bot ? { bot_id: BOT_ID } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.files?.length ? { files: m.files.map(wireFile), upload: true } : {}),
  };
}

/** `1764590000.000123` -> microseconds, exactly (a double would round 16 digits). */
function micros(ts: Json): bigint {
  const [sec = '0', frac = ''] = String(ts).split('.');
  return BigInt(sec) * 1_000_000n + BigInt(frac.padEnd(6, '0').slice(0, 6) || '0');
}

const encodeCursor = (offset: number) => Buffer.from(`next_ts:${offset}`).toString('base64');
function decodeCursor(cursor: string): number | null {
  const m = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString());
  return m ? Number(m[1]) : null;
}

/** Errors are thrown as Slack's codes; the Web API wrapper turns them into `{ok:false}`. */
export function conversationsReplies(thread: FakeMessage[], a: Record<string, Json>): Json {
  if (!a.channel) throw new Error('channel_not_found');
  if (!a.ts || !thread.some((m) => m.ts === a.ts)) throw new Error('thread_not_found');
  const limit = a.limit === undefined ? MAX_LIMIT : Number(a.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('invalid_limit');
  const offset = a.cursor ? decodeCursor(String(a.cursor)) : 0;
  if (offset === null) throw new Error('invalid_cursor');
  const size = Math.min(limit, MAX_LIMIT);
  const inclusive = a.inclusive === true || a.inclusive === 'true' || a.inclusive === '1';
  const after = (ts: string, bound: Json) =>
    bound === undefined || (inclusive ? micros(ts) >= micros(bound) : micros(ts) > micros(bound));
  const before = (ts: string, bound: Json) =>
    bound === undefined || (inclusive ? micros(ts) <= micros(bound) : micros(ts) < micros(bound));
  const inRange = thread.filter((m) => after(m.ts, a.oldest) && before(m.ts, a.latest));
  const page = inRange.slice(offset, offset + size);
  const hasMore = offset + size < inRange.length;
  return {
    ok: true,
    messages: page.map(wireMessage),
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? encodeCursor(offset + size) : '' },
  };
}
