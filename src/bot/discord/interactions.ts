import type { ChatInputCommandInteraction, MessageComponentInteraction } from 'discord.js';

/** Interaction tokens expire after 15 minutes; stop using them a minute before. */
export const TOKEN_TTL_MS = 14 * 60 * 1000;

interface Entry<T> {
  value: T;
  at: number;
}

/** A map whose entries expire, pruned on write so it never grows without bound. */
class Expiring<T> {
  private readonly entries = new Map<string, Entry<T>>();
  constructor(private readonly ttlMs: number) {}

  set(key: string, value: T): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (now - e.at > this.ttlMs) this.entries.delete(k);
    this.entries.set(key, { value, at: now });
  }

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    return e && Date.now() - e.at <= this.ttlMs ? e.value : undefined;
  }

  take(key: string): T | undefined {
    const v = this.get(key);
    this.entries.delete(key);
    return v;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
}

/**
 * What the adapter remembers about live interactions: slash commands waiting for the core to
 * open their thread (keyed by interaction id = CommandEvent.eventId), and each user's latest
 * component click per channel, whose token can still send an ephemeral follow-up.
 */
export function createInteractionRegistry(ttlMs = TOKEN_TTL_MS) {
  const seen = new Expiring<true>(ttlMs);
  const commands = new Expiring<ChatInputCommandInteraction>(ttlMs);
  const clicks = new Expiring<MessageComponentInteraction>(ttlMs);
  const key = (channel: string, user: string) => `${channel}:${user}`;
  return {
    /** True the first time an interaction id is seen (within its token's lifetime). */
    firstSight(id: string): boolean {
      if (seen.has(id)) return false;
      seen.set(id, true);
      return true;
    },
    awaitThread: (i: ChatInputCommandInteraction) => commands.set(i.id, i),
    takeCommand: (eventId: string) => commands.take(eventId),
    stillWaiting: (eventId: string) => commands.has(eventId),
    clicked: (i: MessageComponentInteraction) => clicks.set(key(i.channelId, i.user.id), i),
    liveClick: (channel: string, user: string) => clicks.get(key(channel, user)),
  };
}
