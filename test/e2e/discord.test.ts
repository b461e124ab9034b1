import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { FakeDiscord, type FakeMessage } from '../fakes/discord.ts';
import { isAdVideo } from '../helpers/uploads.ts';

const LIMIT = 400 * 1024; // a small server limit, so the composer's size target is exercised

const hasButton = (action: string) => (m: FakeMessage) => JSON.stringify(m.components).includes(`"${action}`);

describe('Discord end to end: the real discord.js client against a loopback Discord', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-discord-e2e-'));
  beforeAll(async () => {
    discord = await FakeDiscord.start({ uploadLimitBytes: LIMIT });
    const config = loadConfig({
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_FORCE_OFFLINE: 'true',
      ADGEN_OFFLINE_LATENCY_MS: '150',
    });
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger });
    bot = await startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  });
  afterAll(async () => {
    await bot.stop();
    await discord.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('/adgen -> thread -> brief -> mood -> approve -> an MP4 within the upload limit', async () => {
    const slash = discord.slash('alice', 'a reusable water bottle that tracks hydration');
    const callback = await discord.waitFor(() => slash.callback);
    expect(callback.latencyMs).toBeLessThan(3000);
    const threadId = await discord.waitFor(
      () =>
        [...discord.channels.values()].find(
          (c) => c.type === 11 && discord.inChannel(c.id).some((m) => m.author.bot),
        )?.id,
    );
    const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
    await discord.waitFor(() => botMsgs().length >= 1, 30_000); // the first question
    for (const answer of [
      'students and gym-goers',
      'fresh, motivating',
      'bright, clean',
      'Glows when you need a sip; Keeps water cold 24 h',
      'Shop now',
    ]) {
      const n = botMsgs().length;
      discord.say('alice', threadId, answer);
      await discord.waitFor(() => botMsgs().length > n);
    }
    const brief = await discord.waitFor(() => botMsgs().find(hasButton('brief.confirm')));
    discord.click('bob', brief, 'brief.confirm:ok');
    await discord.waitFor(() => discord.followUps.some((f) => f.ephemeral && /Only <@/.test(f.content)));
    discord.click('alice', brief, 'brief.confirm:ok');
    const moods = await discord.waitFor(() => {
      const m = botMsgs().filter(hasButton('mood.select'));
      return m.length === 3 ? m : undefined;
    }, 60_000);
    expect(moods[0]!.attachments.length).toBeGreaterThan(0);
    // Discord resolves `attachment://name` in embeds to the uploaded attachment's URL.
    expect(JSON.stringify(moods[0]!.embeds)).toMatch(/attachments\/\d+\/image-1.png/);

    // A vote on a message the client never cached still counts.
    discord.react('bob', threadId, moods[1]!.id, '2️⃣');
    await discord.waitFor(() =>
      discord.edits.some((e) => e.messageId === moods[1]!.id && JSON.stringify(e.body).includes('1 vote')),
    );
    discord.click('alice', moods[1]!, 'mood.select:1');
    const board = await discord.waitFor(() => botMsgs().find(hasButton('storyboard.approve')), 60_000);
    discord.click('alice', board, 'scene.regenerate', ['0']);
    const board2 = await discord.waitFor(
      () => botMsgs().find((m) => hasButton('storyboard.approve')(m) && m.id !== board.id),
      60_000,
    );
    discord.react('alice', threadId, board2.id, '✅');
    // A gateway drop mid-render loses nothing.
    await discord.waitFor(
      () => discord.edits.some((e) => /Clips: [0-9]/.test(JSON.stringify(e.body))),
      60_000,
    );
    await discord.disconnect();
    const upload = await discord
      .waitFor(() => discord.uploads.find((u) => isAdVideo(u.filename) && u.channelId === threadId), 120_000)
      .catch((err) => {
        console.log(
          'bot messages at timeout:\n' +
            botMsgs()
              .map((m) => m.content + JSON.stringify(m.embeds).slice(0, 300))
              .join('\n'),
        );
        console.log(
          'uploads at timeout:',
          JSON.stringify(discord.uploads.map((u) => [u.filename, u.channelId, threadId])),
        );
        throw err;
      });
    expect(upload.size).toBeLessThanOrEqual(LIMIT);
    const info = await probeMedia(upload.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    expect(info.audio?.codec).toBe('aac');
    await new Promise((r) => setTimeout(r, 500));
    expect(discord.uploads.filter((u) => isAdVideo(u.filename))).toHaveLength(1);
  }, 240_000);

  it('malformed input gets a helpful reply and the bot keeps working', async () => {
    const slash = discord.slash('carol', '');
    await discord.waitFor(() => slash.callback);
    const threadId = await discord.waitFor(() =>
      [...discord.channels.values()]
        .filter((c) => c.type === 11)
        .map((c) => c.id)
        .find((id) =>
          discord
            .inChannel(id)
            .some((m) => /What are we advertising/.test(m.content + JSON.stringify(m.embeds))),
        ),
    );
    const botText = () =>
      discord
        .inChannel(threadId)
        .filter((m) => m.author.bot)
        .map((m) => m.content + JSON.stringify(m.embeds))
        .join('\n');
    discord.say('carol', threadId, '🔥🔥');
    await discord.waitFor(() => /a few words/.test(botText()));
    discord.say('carol', threadId, 'z'.repeat(10_000));
    await discord.waitFor(() => /first 1500 characters/.test(botText()));
    const anyMsg = discord.inChannel(threadId).find((m) => m.author.bot)!;
    discord.click('carol', anyMsg, 'warp.drive:9');
    await discord.waitFor(() => discord.followUps.some((f) => /don’t know that button/.test(f.content)));
  }, 60_000);
});
