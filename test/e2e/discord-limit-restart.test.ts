import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { createFileLimitStore } from '../../src/bot/discord/limit-store.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { isAdVideo } from '../helpers/uploads.ts';
import { hasButton } from './discord-flow.ts';

const LIMIT = 400 * 1024; // what Discord says for this channel; the boost-tier table says 100 MiB

/**
 * The channel's `attachment_size_limit` arrives with the /adgen interaction; the bot restarts;
 * afterwards no interaction carries the field, so only the stored value can size the video.
 * Without it the tier table's 100 MiB sizes the encode and Discord refuses the file (413).
 */
describe('Discord: the upload limit from the interaction outlives a restart', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-discord-limit-'));
  const config = loadConfig({
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    ADGEN_FORCE_OFFLINE: 'true',
    ADGEN_OFFLINE_LATENCY_MS: '20',
  });
  const startWithStore = () => {
    const limitStore = createFileLimitStore(path.join(dir, 'discord-upload-limits.json'));
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger, limitStore });
    return startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  };
  beforeAll(async () => {
    discord = await FakeDiscord.start({ uploadLimitBytes: LIMIT, premiumTier: 3 });
  });
  afterAll(async () => {
    await bot?.stop();
    await discord.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sizes the video to the stored limit, not the boost-tier table', async () => {
    bot = await startWithStore();
    const slash = discord.slash('alice', 'a desk lamp that follows the sun');
    await discord.waitFor(() => slash.callback, 30_000);
    const threadId: string = await discord.waitFor(
      () => [...discord.channels.values()].find((c) => c.type === 11)?.id,
      30_000,
    );
    const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
    await discord.waitFor(() => botMsgs().length >= 1, 30_000);
    for (const answer of [
      'students',
      'calm, warm',
      'soft, daylight',
      'Follows the sun; USB-C',
      'Light up today',
    ]) {
      const n = botMsgs().length;
      discord.say('alice', threadId, answer);
      await discord.waitFor(() => botMsgs().length > n, 30_000);
    }
    const brief = await discord.waitFor(() => botMsgs().find(hasButton('brief.confirm')), 30_000);
    await bot.stop();

    discord.setAttachmentSizeLimit(null);
    bot = await startWithStore();
    discord.click('alice', brief, 'brief.confirm:ok');
    const mood = await discord.waitFor(() => botMsgs().filter(hasButton('mood.select'))[2], 60_000);
    discord.click('alice', mood, 'mood.select:0');
    const board = await discord.waitFor(() => botMsgs().find(hasButton('storyboard.approve')), 60_000);
    discord.click('alice', board, 'storyboard.approve:approve');
    const video = await discord.waitFor(
      () => discord.uploads.find((u) => u.channelId === threadId && isAdVideo(u.filename)),
      120_000,
    );
    const run = (await bot.app.runs.list())[0]!;
    expect((run.input as { maxBytes?: number }).maxBytes).toBe(LIMIT);
    expect(video.size).toBeLessThanOrEqual(LIMIT);
    const info = await probeMedia(video.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    console.log(`discord limit after restart: run maxBytes ${LIMIT}, video ${video.size} bytes`);
  }, 300_000);
});
