import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { FakeDiscord, type FakeMessage } from '../fakes/discord.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { isAdVideo } from '../helpers/uploads.ts';

const hasButton = (action: string) => (m: FakeMessage) => JSON.stringify(m.components).includes(`"${action}`);

/** `adgen bot` as its own process against a fake Discord in the test process; killed mid-render. */
describe('Discord: the bot process is killed mid-render and restarted', () => {
  let discord: FakeDiscord;
  const bots = botProcesses('adgen-discord-restart-');
  beforeAll(async () => {
    discord = await FakeDiscord.start();
  });
  afterAll(async () => {
    await discord.close();
    bots.cleanup();
  });

  const startBotProcess = async () => {
    const cfg = discord.config();
    const before = discord.gateway.identifies + discord.gateway.resumes;
    const child = bots.start({
      DISCORD_TOKEN: cfg.token,
      DISCORD_APPLICATION_ID: cfg.applicationId ?? '',
      DISCORD_API_URL: cfg.apiUrl ?? '',
    });
    await discord.waitFor(() => discord.gateway.identifies + discord.gateway.resumes > before, 60_000);
    return child;
  };

  it('continues the render and posts exactly one video', async () => {
    const first = await startBotProcess();
    const slash = discord.slash('dana', 'a smart bike lock');
    await discord.waitFor(() => slash.callback, 30_000);
    const threadId = await discord.waitFor(
      () => [...discord.channels.values()].find((c) => c.type === 11)?.id,
      30_000,
    );
    const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
    await discord.waitFor(() => botMsgs().length >= 1, 30_000); // the first question
    for (const answer of [
      'city cyclists',
      'confident, modern',
      'sleek, night',
      'Unlocks with your phone; Alarm at 100 dB',
      'Lock it in today',
    ]) {
      const n = botMsgs().length;
      discord.say('dana', threadId, answer);
      await discord.waitFor(() => botMsgs().length > n, 30_000);
    }
    const brief = await discord
      .waitFor(() => botMsgs().find(hasButton('brief.confirm')), 30_000)
      .catch((e) => {
        console.log(
          botMsgs()
            .map((m) => m.content + JSON.stringify(m.embeds))
            .join('\n'),
        );
        throw e;
      });
    discord.click('dana', brief, 'brief.confirm:ok');
    const mood = await discord.waitFor(() => botMsgs().filter(hasButton('mood.select'))[2], 60_000);
    discord.click('dana', mood, 'mood.select:2');
    const board = await discord.waitFor(() => botMsgs().find(hasButton('storyboard.approve')), 60_000);
    discord.click('dana', board, 'storyboard.approve:approve');
    // Kill it once the status shows clips landing. The status is edited in place or, when cards
    // pushed it up, posted again at the bottom: look at both.
    const clipsLanding = /Clips: [1-9]/;
    await discord.waitFor(
      () =>
        discord.edits.some((e) => clipsLanding.test(JSON.stringify(e.body))) ||
        botMsgs().some((m) => clipsLanding.test(m.content + JSON.stringify(m.embeds))),
      90_000,
    );
    await bots.kill(first);
    expect(discord.uploads.filter((u) => isAdVideo(u.filename))).toHaveLength(0);

    await startBotProcess();
    const video = await discord.waitFor(() => discord.uploads.find((u) => isAdVideo(u.filename)), 120_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(discord.uploads.filter((u) => isAdVideo(u.filename))).toHaveLength(1);
    expect(video.channelId).toBe(threadId);
    const info = await probeMedia(video.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  }, 300_000);
});
