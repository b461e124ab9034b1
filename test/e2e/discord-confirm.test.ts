import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { driveToStoryboard, hasButton } from './discord-flow.ts';

describe('Discord: Cancel on a paid render asks first, with an ephemeral "Yes, cancel" button', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-discord-confirm-'));
  beforeAll(async () => {
    discord = await FakeDiscord.start();
    const config = loadConfig({
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_FORCE_OFFLINE: 'true',
      ADGEN_OFFLINE_LATENCY_MS: '1500', // the render takes long enough to press Cancel during it
    });
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger });
    bot = await startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  });
  afterAll(async () => {
    await bot.stop();
    await discord.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the first click asks privately; only "Yes, cancel" cancels the render', async () => {
    const { board, botMsgs, threadId } = await driveToStoryboard(
      discord,
      'alice',
      'a bike lock that texts you',
    );
    // The status was posted again below the storyboard and the old one deleted.
    await discord.waitFor(() => {
      const last = botMsgs().at(-1);
      return (
        discord.deleted.length > 0 &&
        last &&
        last.id !== board.id &&
        /Storyboard ready/.test(JSON.stringify(last.embeds) + last.content)
      );
    }, 30_000);
    expect(discord.deleted.every((m) => m.channel_id === threadId && m.author.bot)).toBe(true);
    discord.click('alice', board, 'storyboard.approve:approve');
    await discord.waitFor(() => botMsgs().some((m) => /Rendering now/.test(m.content)), 30_000);
    const runId = (await bot.app.runs.list())[0]!.id;

    // `/adgen usage` is answered ephemerally (the deferred reply carries flag 64), no new thread.
    const threads = [...discord.channels.values()].filter((c) => c.type === 11).length;
    const usage = discord.slash('alice', 'usage');
    const answer = await discord.waitFor(() => {
      const m = usage.originalMessageId ? discord.messages.get(usage.originalMessageId) : undefined;
      return m && /Your renders now/.test(m.content) ? m : undefined;
    });
    expect(answer.flags & 64).toBe(64);
    expect(answer.content).toMatch(/a bike lock|Animating|rendering/i);
    expect([...discord.channels.values()].filter((c) => c.type === 11)).toHaveLength(threads);

    discord.click('alice', board, 'job.cancel:cancel');
    const ask = await discord.waitFor(() =>
      discord.followUps.find((f) => f.ephemeral && hasButton('job.cancel')(f)),
    );
    expect(JSON.stringify(ask.components)).toContain('"job.cancel:confirmed"');
    expect(JSON.stringify(ask.components)).toContain('Yes, cancel');
    // Asking is not cancelling: the render goes on.
    await new Promise((r) => setTimeout(r, 300));
    expect((await bot.app.workflow.view(runId)).phase).toBe('render');

    discord.click('alice', ask, 'job.cancel:confirmed');
    await discord.waitFor(async () => (await bot.app.workflow.view(runId)).phase === 'cancelled', 30_000);
    await discord.waitFor(() =>
      botMsgs().some((m) => /Cancelled by/.test(`${m.content}${JSON.stringify(m.embeds)}`)),
    );
  }, 120_000);
});
