import { Client, GatewayIntentBits, Partials } from 'discord.js';
import type { DiscordConfig } from '../../config.ts';

/** The one place the discord.js client is configured, so the adapter and tests agree. */
export function createDiscordClient(config: DiscordConfig): Client {
  return new Client({
    // MessageContent is privileged: enable it in the Developer Portal (docs/install-discord.md).
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.GuildMessageReactions,
    ],
    // Without these, reactions on messages sent before a restart (not in the cache) are dropped
    // silently. User: MESSAGE_REACTION_REMOVE carries only a user id, no member.
    partials: [Partials.Message, Partials.Channel, Partials.Reaction, Partials.User],
    // Text from users and models is echoed into the thread: never let it ping @everyone or roles.
    allowedMentions: { parse: ['users'] },
    rest: config.apiUrl ? { api: config.apiUrl } : {},
  });
}
