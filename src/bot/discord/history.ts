import type { Message, SendableChannels } from 'discord.js';

/** Pages of 100 (Discord's maximum per request) read before giving up; newest first. */
const MAX_PAGES = 5;

/**
 * Finds the bot's message whose attachment name carries `nonce`, newest first, through
 * `GET /channels/{id}/messages` (`limit` 1-100, `before` to page back). Discord has no
 * idempotency key for messages: this look-up is how a restarted delivery avoids a second video.
 */
export async function findAttachmentInChannel(
  channel: SendableChannels,
  botId: string | undefined,
  nonce: string,
): Promise<{ messageId: string } | null> {
  if (!('messages' in channel)) return null;
  let before: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await channel.messages.fetch({ limit: 100, ...(before ? { before } : {}), cache: false });
    const mine = (m: Message) => !botId || m.author.id === botId;
    const hit = batch.find((m) => mine(m) && m.attachments.some((a) => a.name.includes(nonce)));
    if (hit) return { messageId: hit.id };
    if (batch.size < 100) return null;
    before = batch.last()?.id;
  }
  return null;
}
