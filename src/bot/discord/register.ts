import {
  type APIApplication,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import { errorMessage } from '../../errors.ts';
import { redact } from '../../redact.ts';
import { discordError } from './errors.ts';

export const COMMAND_NAME = 'adgen';
export const IDEA_MAX_LENGTH = 500;

/** `/adgen [idea]`, usable in servers only: the bot needs a channel to open a thread in. */
export const ADGEN_COMMAND: RESTPostAPIChatInputApplicationCommandsJSONBody = {
  name: COMMAND_NAME,
  type: ApplicationCommandType.ChatInput,
  description: 'Make a 30-second vertical video ad, step by step in a thread',
  options: [
    {
      type: ApplicationCommandOptionType.String,
      name: 'idea',
      description: 'What to advertise, in a sentence (optional: I will ask)',
      required: false,
      max_length: IDEA_MAX_LENGTH,
    },
  ],
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

/** What the bot needs in a channel; the invite URL asks for exactly these. */
export const BOT_PERMISSIONS = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.EmbedLinks,
  PermissionFlagsBits.AttachFiles,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AddReactions,
  PermissionFlagsBits.UseApplicationCommands,
].reduce((all, bit) => all | bit, 0n);

export function inviteUrl(applicationId: string): string {
  const q = new URLSearchParams({
    client_id: applicationId,
    scope: 'bot applications.commands',
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${q}`;
}

export interface Registration {
  scope: 'global' | `guild ${string}`;
  commandIds: string[];
}

/**
 * Registers `/adgen` in each configured guild (shows up at once) or, with no guilds configured,
 * globally (Discord may take a while to show it everywhere). A PUT replaces the app's commands,
 * so running it twice is harmless.
 */
export async function registerCommands(
  config: DiscordConfig,
): Promise<{ applicationId: string; done: Registration[] }> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const secrets = [config.token];
  const applicationId =
    config.applicationId ??
    (
      (await rest.get(Routes.currentApplication()).catch((err) => {
        throw discordError(err, 'look up the application', secrets);
      })) as APIApplication
    ).id;
  const scopes = config.guildIds.length ? config.guildIds : [null];
  const done: Registration[] = [];
  for (const guild of scopes) {
    const route = guild
      ? Routes.applicationGuildCommands(applicationId, guild)
      : Routes.applicationCommands(applicationId);
    const saved = (await rest.put(route, { body: [ADGEN_COMMAND] }).catch((err) => {
      throw discordError(err, `register /${COMMAND_NAME}${guild ? ` in guild ${guild}` : ''}`, secrets);
    })) as { id: string }[];
    done.push({ scope: guild ? `guild ${guild}` : 'global', commandIds: saved.map((c) => c.id) });
  }
  return { applicationId, done };
}

/** `adgen discord:register`: exit code 0 on success, 2 when Discord is not configured. */
export async function discordRegisterCommand(config: DiscordConfig | null): Promise<number> {
  if (!config) {
    console.error('adgen: set DISCORD_TOKEN (and DISCORD_APPLICATION_ID) first; see docs/install-discord.md');
    return 2;
  }
  try {
    const { applicationId, done } = await registerCommands(config);
    for (const r of done) console.log(`registered /${COMMAND_NAME} (${r.scope})`);
    console.log(`invite the bot with: ${inviteUrl(applicationId)}`);
    return 0;
  } catch (err) {
    console.error(`adgen: ${redact(errorMessage(err), [config.token])}`);
    return 1;
  }
}
