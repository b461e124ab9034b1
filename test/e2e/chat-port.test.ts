import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatAdapter } from '../../src/bot/core/ports.ts';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { CHANNEL, FakeSlack } from '../fakes/slack.ts';

/** The core with one real adapter: `/adgen help` and ❌ on the root message, end to end. */
async function botWith(adapter: ChatAdapter) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-port-e2e-'));
  const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
  const bot = await startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  return {
    async stop() {
      await bot.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('chat port end to end on Slack (real Bolt)', () => {
  let slack: FakeSlack;
  let bot: Awaited<ReturnType<typeof botWith>>;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    bot = await botWith(
      createSlackAdapter(slack.slackConfig(), { log: silentLogger, retryConfig: { retries: 0 } }),
    );
    await slack.waitForConnection();
  });
  afterAll(async () => {
    await bot.stop();
    await slack.stop();
  });

  it('/adgen help answers through the response_url and opens no thread', async () => {
    await slack.slashCommand('U0ALICE', 'help');
    const answer = await slack.waitFor(
      () => slack.responses.find((r) => /\/adgen/.test(String(r.text))),
      'help',
    );
    expect(answer.response_type).toBe('ephemeral');
    expect(slack.messages.filter((m) => m.bot)).toHaveLength(0);
  });

  it('❌ on the root message cancels the ad, naming who did it as a Slack mention', async () => {
    await slack.slashCommand('U0ALICE', 'a folding e-scooter');
    const root = await slack.waitForMessage((m) => m.bot && m.channel === CHANNEL && !m.thread_ts, 30_000);
    expect(root.text).toContain('<@U0ALICE>');
    await slack.react('U0ALICE', root.ts, 'x');
    const cancelled = await slack.waitForMessage(
      (m) => m.thread_ts === root.ts && /Cancelled by <@U0ALICE>/.test(m.text),
      30_000,
    );
    expect(cancelled.text).not.toMatch(/[\uE000\uE001]/);
  });
});

describe('chat port end to end on Discord (real discord.js)', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof botWith>>;
  beforeAll(async () => {
    discord = await FakeDiscord.start();
    bot = await botWith(createDiscordAdapter(discord.config(), { log: silentLogger }));
  });
  afterAll(async () => {
    await bot.stop();
    await discord.close();
  });

  it('/adgen help edits the deferred reply, ephemerally, and opens no thread', async () => {
    const threadsBefore = [...discord.channels.values()].filter((c) => c.type === 11).length;
    const slash = discord.slash('alice', 'help');
    const reply = await discord.waitFor(() => {
      const m = slash.originalMessageId ? discord.messages.get(slash.originalMessageId) : undefined;
      return m && /\/adgen/.test(m.content) ? m : undefined;
    });
    expect(reply.flags & 64).toBe(64);
    await new Promise((r) => setTimeout(r, 200));
    expect([...discord.channels.values()].filter((c) => c.type === 11)).toHaveLength(threadsBefore);
  });

  it('❌ on the starter message in the parent channel cancels the ad', async () => {
    const alice = discord.user('alice');
    const slash = discord.slash(alice, 'a reusable water bottle');
    const threadId = await discord.waitFor(
      () => slash.originalMessageId && discord.channels.get(slash.originalMessageId)?.id,
    );
    const parent = discord.channels.get(threadId)!.parent_id as string;
    discord.react(alice, parent, threadId, '❌');
    const cancelled = await discord.waitFor(
      () =>
        discord
          .inChannel(threadId)
          .find(
            (m) =>
              JSON.stringify(m.embeds).includes(`Cancelled by <@${alice.id}>`) ||
              m.content.includes(`Cancelled by <@${alice.id}>`),
          ),
      30_000,
    );
    expect(JSON.stringify(cancelled)).not.toMatch(/[\uE000\uE001]/);
  });
});
