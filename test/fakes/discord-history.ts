/**
 * The fake Discord's `GET /channels/{id}/messages`, as documented: newest first; `limit` 1-100
 * (default 50); at most one of `before` / `after` / `around` (message ids); 10003 for an unknown
 * channel, 50035 for a bad query. Messages come in the wire shape, with `attachments[].filename`.
 */
import type { FakeMessage, Json } from './discord-wire.ts';

type Reply = [status: number, body?: Json];

const invalid = (field: string): Reply => [
  400,
  {
    message: 'Invalid Form Body',
    code: 50035,
    errors: { [field]: { _errors: [{ code: 'NUMBER_TYPE_MAX' }] } },
  },
];
const snowflake = (v: string | null) => (v !== null && /^\d{1,20}$/.test(v) ? BigInt(v) : null);

export function channelMessages(
  messages: Iterable<FakeMessage>,
  channelKnown: boolean,
  channelId: string,
  q: URLSearchParams,
  wire: (m: FakeMessage) => Json,
): Reply {
  if (!channelKnown) return [404, { message: 'Unknown Channel', code: 10003 }];
  const limit = q.has('limit') ? Number(q.get('limit')) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid('limit');
  const anchors = ['before', 'after', 'around'].filter((k) => q.has(k));
  if (anchors.length > 1) return invalid(anchors[1]!);
  const newestFirst = [...messages]
    .filter((m) => m.channel_id === channelId)
    .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1));
  const [anchor] = anchors;
  const at = anchor ? snowflake(q.get(anchor)) : null;
  if (anchor && at === null) return invalid(anchor);
  let page: FakeMessage[];
  if (anchor === 'before') page = newestFirst.filter((m) => BigInt(m.id) < at!).slice(0, limit);
  // `after`: the oldest ones just after the anchor, still returned newest first.
  else if (anchor === 'after') page = newestFirst.filter((m) => BigInt(m.id) > at!).slice(-limit);
  else if (anchor === 'around') {
    const i = newestFirst.findIndex((m) => BigInt(m.id) <= at!);
    const start = Math.max(0, (i === -1 ? newestFirst.length : i) - Math.floor(limit / 2));
    page = newestFirst.slice(start, start + limit);
  } else page = newestFirst.slice(0, limit);
  return [200, page.map(wire)];
}
