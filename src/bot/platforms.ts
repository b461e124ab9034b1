import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from './core/context.ts';
import type { ChatAdapter } from './core/ports.ts';

/**
 * Every chat platform the bot can join. A new platform is its adapter folder plus one entry
 * here. `fromConfig` answers undefined when the platform is not configured; each SDK is imported
 * only then, so an unconfigured platform costs nothing at start-up.
 */
export interface PlatformEntry {
  name: string;
  fromConfig(config: Config, log: Logger): Promise<ChatAdapter | undefined>;
}

export const PLATFORMS: readonly PlatformEntry[] = [
  {
    name: 'slack',
    async fromConfig(config, log) {
      if (!config.slack) return undefined;
      const { createSlackAdapter } = await import('./slack/adapter.ts');
      return createSlackAdapter(config.slack, { log, ffmpegPath: config.ffmpeg.ffmpeg });
    },
  },
  {
    name: 'discord',
    async fromConfig(config, log) {
      if (!config.discord) return undefined;
      const { createDiscordAdapter } = await import('./discord/adapter.ts');
      const { createFileLimitStore } = await import('./discord/limit-store.ts');
      // The channel's attachment_size_limit must outlive a restart (no interaction may come first).
      const limitStore = createFileLimitStore(path.join(config.dataDir, 'discord-upload-limits.json'));
      return createDiscordAdapter(config.discord, { log, limitStore });
    },
  },
];

/** Adapters for every configured platform; none when nothing is configured. */
export async function configuredAdapters(
  config: Config,
  log: Logger,
  platforms: readonly PlatformEntry[] = PLATFORMS,
): Promise<ChatAdapter[]> {
  const found = await Promise.all(platforms.map((p) => p.fromConfig(config, log)));
  return found.filter((a): a is ChatAdapter => a !== undefined);
}
