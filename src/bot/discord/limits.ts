import { type Channel, GuildPremiumTier } from 'discord.js';

/** Every server accepts 10 MiB per attachment; boosts raise it (Discord "Uploading files"). */
export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;

const BY_TIER: Record<GuildPremiumTier, number> = {
  [GuildPremiumTier.None]: DEFAULT_UPLOAD_LIMIT,
  [GuildPremiumTier.Tier1]: DEFAULT_UPLOAD_LIMIT,
  [GuildPremiumTier.Tier2]: 50 * 1024 * 1024,
  [GuildPremiumTier.Tier3]: 100 * 1024 * 1024,
};

/**
 * The limit for a channel when no interaction told us `attachment_size_limit` (e.g. after a
 * restart): derived from the guild's boost tier, or the 10 MiB every server has.
 */
export function limitFromChannel(channel: Channel | undefined): number {
  const tier = channel && 'guild' in channel ? channel.guild?.premiumTier : undefined;
  return tier === undefined ? DEFAULT_UPLOAD_LIMIT : (BY_TIER[tier] ?? DEFAULT_UPLOAD_LIMIT);
}
