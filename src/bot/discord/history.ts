import { type APIMessage, SnowflakeUtil } from 'discord.js';

/** Pages of 100 (Discord's maximum per request) read before giving up. */
const MAX_PAGES = 5;
/** How far before the intent we still look: our clock and Discord's may disagree a little. */
const CLOCK_SLACK_MS = 5 * 60 * 1000;

/** One `GET /channels/{id}/messages` page, newest first. */
export type MessagePage = (query: URLSearchParams) => Promise<APIMessage[]>;

/**
 * Finds the bot's message whose attachment name carries `nonce`, through `GET /channels/{id}/
 * messages` (`limit` 1-100): forward from just before the intent with `after` when we know when
 * it was stored, else back from the newest with `before`. Discord has no idempotency key for
 * messages: this look-up is how a restarted delivery avoids a second video.
 */
export async function findAttachmentInChannel(
  page: MessagePage,
  q: { botId: string | undefined; nonce: string; sinceMs?: number },
): Promise<{ messageId: string } | null> {
  const mine = (m: APIMessage) => !q.botId || m.author.id === q.botId;
  const forward = q.sinceMs !== undefined;
  let anchor = forward
    ? SnowflakeUtil.generate({ timestamp: q.sinceMs! - CLOCK_SLACK_MS }).toString()
    : undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const query = new URLSearchParams({ limit: '100' });
    if (anchor) query.set(forward ? 'after' : 'before', anchor);
    const batch = await page(query);
    const hit = batch.find((m) => mine(m) && m.attachments.some((a) => a.filename.includes(q.nonce)));
    if (hit) return { messageId: hit.id };
    if (batch.length < 100) return null;
    // Newest first either way: forward continues after the newest, backward before the oldest.
    anchor = forward ? batch[0]?.id : batch.at(-1)?.id;
  }
  return null;
}
