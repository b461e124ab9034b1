import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { formatProfile } from '../../src/pipeline/media/formats.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { hasButton, driveToStoryboard as toDiscordStoryboard } from './discord-flow.ts';
import { hasAction, driveToStoryboard as toSlackStoryboard } from './slack-flow.ts';

/**
 * "More formats" on the finished video, through the real Bolt and discord.js clients: the other
 * three formats arrive in the thread once each (each on its own delivery intent and nonce), even
 * when the button is pressed twice.
 */
const OTHERS = ['4x5', '1x1', '16x9'] as const;
const mp4s = <F extends { filename: string }>(files: F[]) => files.filter((f) => f.filename.endsWith('.mp4'));
const settle = () => new Promise((r) => setTimeout(r, 1500));

async function expectFormats(files: { filename: string; path: string }[]) {
  for (const format of OTHERS) {
    const mine = files.filter((f) => f.filename.includes(`-${format}-`));
    expect(mine, `${format} uploads`).toHaveLength(1);
    const p = formatProfile(PROFILES.tiny, format);
    const info = await probeMedia(mine[0]!.path);
    expect(info.video, format).toMatchObject({ width: p.width, height: p.height });
    expect(Math.abs(info.durationS - 30), format).toBeLessThan(0.3);
  }
}

const config = (dir: string) =>
  loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

describe('More formats on the finished video', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('Slack: one upload per format into the thread, a second press changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-formats-slack-'));
    const slack = await FakeSlack.start();
    const adapter = createSlackAdapter(slack.slackConfig(), {
      log: silentLogger,
      retryConfig: { retries: 0 },
      fileRetryDelaysMs: [50, 100, 200],
    });
    const bot = await startBot(config(dir), {
      adapters: [adapter],
      log: silentLogger,
      statusIntervalMs: 100,
    });
    cleanups.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => slack.stop(),
      () => bot.stop(),
    );
    await slack.waitForConnection();

    const { root, moods, inThread } = await toSlackStoryboard(slack, 'U0ALICE', 'a folding e-scooter');
    await slack.click('U0ALICE', moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 60_000);
    await slack.click('U0ALICE', board, 'storyboard.approve');
    const card = await slack.waitForMessage(inThread(hasAction('video.formats')), 120_000);
    expect(mp4s(slack.uploads)).toHaveLength(1);
    // A teammate who is not a reviewer may not start it.
    await slack.click('U0BOB', card, 'video.formats', 'formats');
    await slack.waitFor(() => slack.ephemerals.find((e) => e.user === 'U0BOB'), 'refusal');
    const click = await slack.click('U0ALICE', card, 'video.formats', 'formats');
    await slack.redeliver(click);
    await slack.click('U0ALICE', card, 'video.formats', 'formats');
    await slack.waitFor(() => mp4s(slack.uploads).length >= 4, 'three more uploads', 120_000);
    await slack.waitFor(
      () =>
        slack.messages.some(
          (m) => m.thread_ts === root.ts && /✅ Done/.test(m.text + JSON.stringify(m.blocks)),
        ),
      'done again',
      30_000,
    );
    await settle();
    const files = mp4s(slack.uploads);
    expect(files).toHaveLength(4);
    for (const f of files) expect(f.thread_ts).toBe(root.ts);
    await expectFormats(files);
    // No video card offers More formats once every format is in the thread.
    expect(slack.messages.filter(inThread(hasAction('video.formats')))).toHaveLength(0);
  }, 300_000);

  it('Discord: one attachment per format in the thread', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-formats-discord-'));
    const discord = await FakeDiscord.start();
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger });
    const bot = await startBot(config(dir), {
      adapters: [adapter],
      log: silentLogger,
      statusIntervalMs: 100,
    });
    cleanups.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => discord.close(),
      () => bot.stop(),
    );
    const { threadId, board, botMsgs } = await toDiscordStoryboard(discord, 'alice', 'a smart bike lock');
    discord.click('alice', board, 'storyboard.approve:approve');
    const card = await discord.waitFor(() => botMsgs().find(hasButton('video.formats')), 120_000);
    discord.click('alice', card, 'video.formats:formats');
    discord.click('alice', card, 'video.formats:formats');
    const inThread = () => mp4s(discord.uploads.filter((u) => u.channelId === threadId));
    await discord.waitFor(() => inThread().length >= 4 || undefined, 120_000);
    await settle();
    expect(inThread()).toHaveLength(4);
    await expectFormats(inThread());
  }, 300_000);
});
