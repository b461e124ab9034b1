import { createConsoleAdapter } from '../bot/console/adapter.ts';
import { createLogger } from '../bot/logger.ts';
import { configuredAdapters } from '../bot/platforms.ts';
import type { Config } from '../config.ts';
import { type ProcessRole, startBot } from '../main.ts';

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
  const adapters = await configuredAdapters(config, log);
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

/**
 * `adgen gateway` / `adgen worker`: one half of the bot, on the PostgreSQL queue. A gateway holds
 * the chat connections; a worker never connects and posts with the bot token. SIGTERM: a worker
 * finishes or hands back its jobs within ADGEN_SHUTDOWN_GRACE_MS.
 */
export async function roleCommand(config: Config, role: Exclude<ProcessRole, 'bot'>): Promise<number> {
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl) {
    console.error(
      `adgen ${role}: set ADGEN_DATABASE_URL (postgres://…); gateways and workers share its queue.`,
    );
    return 2;
  }
  const adapters = await configuredAdapters(config, log);
  if (adapters.length === 0) {
    console.error(`adgen ${role}: no chat platform is configured (SLACK_BOT_TOKEN…, or DISCORD_TOKEN).`);
    return 2;
  }
  const running = await startBot(config, { adapters, log, role });
  return runUntilStopped(running.stop);
}
