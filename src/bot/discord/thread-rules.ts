import { ChannelType, PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

/** What the bot needs in a channel to run an ad there (docs/install-discord.md lists the same). */
const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.CreatePublicThreads, 'Create Public Threads'],
  [PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
  [PermissionFlagsBits.AttachFiles, 'Attach Files'],
  [PermissionFlagsBits.AddReactions, 'Add Reactions'],
  [PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
];

/**
 * Why `/adgen` cannot open its thread in this channel, in words people can act on, or null when it
 * can. Checked before anything is posted: the interaction says what the channel is and which
 * permissions the bot has there (`app_permissions`), so nobody waits for a thread that never comes.
 */
export function threadBlocker(
  channelType: ChannelType | undefined,
  appPermissions: Readonly<PermissionsBitField> | null | undefined,
): string | null {
  if (channelType === ChannelType.GuildForum || channelType === ChannelType.GuildMedia)
    return (
      'I can’t run an ad in a forum channel: I open a thread on my own message, which forums ' +
      'don’t allow. Run /adgen in a text channel instead.'
    );
  if (channelType !== ChannelType.GuildText && channelType !== ChannelType.GuildAnnouncement)
    return 'Run /adgen in a server text channel: I open a thread there for the ad.';
  if (!appPermissions) return null;
  const missing = NEEDED.filter(([flag]) => !appPermissions.has(flag)).map(([, name]) => name);
  if (!missing.length) return null;
  return (
    `I can’t start the ad here: in this channel I am missing ${missing.join(', ')}. ` +
    'Ask a server admin to grant these to my role in this channel (or re-invite me with the link ' +
    'in the install guide), then try /adgen again.'
  );
}
