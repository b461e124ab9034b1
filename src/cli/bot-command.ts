import path from 'node:path';
import { createConsoleAdapter } from '../bot/console/adapter.ts';
import type { Logger } from '../bot/core/context.ts';
import type { ChatAdapter } from '../bot/core/ports.ts';
import { createLogger } from '../bot/logger.ts';
import { startBot } from '../bot/start.ts';
import type { Config } from '../config.ts';

/** Adapters for every configured platform (Slack, Discord); none when nothing is configured. */
export async function platformAdapters(config: Config, log: Logger): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  // Each SDK loads only when its platform is configured.
  if (config.slack) {
    const { createSlackAdapter } = await import('../bot/slack/adapter.ts');
    adapters.push(createSlackAdapter(config.slack, { log, ffmpegPath: config.ffmpeg.ffmpeg }));
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import('../bot/discord/adapter.ts');
    const { createFileLimitStore } = await import('../bot/discord/limit-store.ts');
    // The channel's attachment_size_limit must outlive a restart (no interaction may come first).
    const limitStore = createFileLimitStore(path.join(config.dataDir, 'discord-upload-limits.json'));
    adapters.push(createDiscordAdapter(config.discord, { log, limitStore }));
  }
  return adapters;
}

/** Runs until SIGINT/SIGTERM (or, for the console, until stdin closes). */
async function runUntilStopped(stop: () => Promise<void>, closed?: Promise<void>): Promise<number> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    closed?.then(resolve);
  });
  await stop();
  return 0;
}

/** `adgen chat [idea]`: the bot in this terminal. */
export async function chatCommand(config: Config, idea: string | undefined): Promise<number> {
  const consoleAdapter = createConsoleAdapter({ idea });
  // The terminal is the conversation: logs would interleave with it, so only errors, to stderr.
  const running = await startBot(config, { adapters: [consoleAdapter], log: createLogger('error') });
  return runUntilStopped(running.stop, consoleAdapter.closed);
}

/** `adgen bot`: every configured platform; the console chat when none is and stdin is a terminal. */
export async function botCommand(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  const adapters = await platformAdapters(config, log);
  if (adapters.length === 0) {
    if (process.stdin.isTTY) return chatCommand(config, undefined);
    console.error(
      'adgen: no chat platform is configured. Set SLACK_BOT_TOKEN and SLACK_APP_TOKEN, or DISCORD_TOKEN ' +
        '(see the README: "Install in Slack", "Install in Discord"), or run `adgen chat` in a terminal.',
    );
    return 2;
  }
  const running = await startBot(config, { adapters, log });
  return runUntilStopped(running.stop);
}
