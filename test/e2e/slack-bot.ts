import fs from 'node:fs';
import { silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { FakeSlack } from '../fakes/slack.ts';

export type SlackBot = Awaited<ReturnType<typeof startSlackBot>>;

/**
 * The Slack end-to-end set-up most suites share: the fake Slack, the real Bolt app through the
 * Slack adapter (no client retries, short file-info retries) and a bot on the offline providers
 * at the tiny profile in `dir`; `env` adds or overrides settings. `stop` ends all of it and
 * removes `dir`.
 */
export async function startSlackBot(dir: string, env: Record<string, string> = {}) {
  const slack = await FakeSlack.start();
  const config = loadConfig({
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    ADGEN_FORCE_OFFLINE: 'true',
    ...env,
  });
  const adapter = createSlackAdapter(slack.slackConfig(), {
    log: silentLogger,
    retryConfig: { retries: 0 },
    fileRetryDelaysMs: [50, 100, 200],
  });
  const bot = await startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  await slack.waitForConnection();
  return {
    slack,
    bot,
    async stop() {
      await bot.stop();
      await slack.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
