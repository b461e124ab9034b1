import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';
import { LRUCache } from 'lru-cache';

/** Interaction tokens expire after 15 minutes; stop using them a minute before. */
export const TOKEN_TTL_MS = 14 * 60 * 1000;

/**
 * Far more interactions than one bot sees in a token's lifetime; only a flood reaches it, and then
 * the oldest are forgotten first (a forgotten redelivery would at worst be acked twice: 40060).
 */
export const LIVE_INTERACTIONS_KEPT = 10_000;

/** Entries expire with the token they carry; the bound keeps a flood from growing memory. */
const expiring = <T extends {}>(ttl: number) => new LRUCache<string, T>({ max: LIVE_INTERACTIONS_KEPT, ttl });

/**
 * What the adapter remembers about live interactions: slash commands waiting for the core to
 * open their thread (keyed by interaction id = CommandEvent.eventId), and each user's latest
 * component click per channel, whose token can still send an ephemeral follow-up.
 */
export function createInteractionRegistry(ttlMs = TOKEN_TTL_MS) {
  const seen = expiring<true>(ttlMs);
  const commands = expiring<ChatInputCommandInteraction>(ttlMs);
  const clicks = expiring<MessageComponentInteraction>(ttlMs);
  const key = (channel: string, user: string) => `${channel}:${user}`;
  return {
    /** True the first time an interaction id is seen (within its token's lifetime). */
    firstSight(id: string): boolean {
      if (seen.has(id)) return false;
      seen.set(id, true);
      return true;
    },
    awaitThread: (i: ChatInputCommandInteraction) => void commands.set(i.id, i),
    takeCommand(eventId: string): ChatInputCommandInteraction | undefined {
      const i = commands.get(eventId);
      commands.delete(eventId);
      return i;
    },
    stillWaiting: (eventId: string) => commands.has(eventId),
    clicked: (i: MessageComponentInteraction) => void clicks.set(key(i.channelId, i.user.id), i),
    liveClick: (channel: string, user: string) => clicks.get(key(channel, user)),
  };
}
