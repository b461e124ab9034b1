import type { webApi } from '@slack/bolt';
import { z } from 'zod';

/** Pages of a thread we read before giving up; a delivery is among the newest replies anyway. */
const MAX_PAGES = 10;
/** conversations.replies allows up to 1000 (15 for apps outside the Marketplace since 2025). */
const PAGE_SIZE = 200;
/** How far before the intent we still look: our clock and Slack's may disagree a little. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

const Replies = z.looseObject({
  messages: z
    .array(
      z.looseObject({
        files: z
          .array(z.looseObject({ id: z.string(), name: z.string().nullish(), title: z.string().nullish() }))
          .optional(),
      }),
    )
    .default([]),
  has_more: z.boolean().optional(),
  response_metadata: z.looseObject({ next_cursor: z.string().optional() }).optional(),
});

/**
 * Finds the file whose name (or title) carries `nonce` among the thread's messages, through
 * `conversations.replies` (cursor-paginated; file messages list their `files[]`). Slack has no
 * idempotency key for uploads: this look-up is how a restarted delivery avoids a second video.
 */
export async function findFileInThread(
  client: webApi.WebClient,
  q: { channel: string; threadTs: string; nonce: string; sinceMs?: number },
): Promise<{ messageId: string } | null> {
  const { channel, threadTs, nonce } = q;
  // Replies come oldest first: start just before the intent (clocks differ a little).
  const oldest = q.sinceMs === undefined ? undefined : ((q.sinceMs - CLOCK_SLACK_MS) / 1000).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const raw: unknown = await client.conversations.replies({
      channel,
      ts: threadTs,
      limit: PAGE_SIZE,
      ...(oldest ? { oldest } : {}),
      ...(cursor ? { cursor } : {}),
    });
    const parsed = Replies.safeParse(raw);
    if (!parsed.success)
      throw new Error('Slack answered conversations.replies with a thread I could not read.');
    const res = parsed.data;
    for (const m of res.messages)
      for (const f of m.files ?? [])
        if (f.name?.includes(nonce) || f.title?.includes(nonce)) return { messageId: f.id };
    cursor = res.response_metadata?.next_cursor;
    if (!res.has_more || !cursor) return null;
  }
  return null;
}
