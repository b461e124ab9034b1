import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { hasButton } from './discord-flow.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

const ANSWERS = [
  'commuters in big cities',
  'calm, warm',
  'neon, urban',
  'Folds in 3 seconds',
  'Ride free for a week',
];
const dirs: string[] = [];
const config = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-modal-'));
  dirs.push(dir);
  return loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the Edit button opens a modal; its text is applied as an edit', () => {
  it('Slack: views.open with the click trigger, view_submission becomes the brief change', async () => {
    const slack = await FakeSlack.start();
    const adapter = createSlackAdapter(slack.slackConfig(), {
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    const bot = await startBot(config(), { adapters: [adapter], log: silentLogger });
    try {
      await slack.waitForConnection();
      await slack.slashCommand('U0ALICE', 'a folding e-scooter');
      const root = await slack.waitForMessage(
        (m) => m.bot && !m.thread_ts && m.text.includes('New video ad'),
      );
      const replies = () => slack.messages.filter((m) => m.bot && m.thread_ts === root.ts);
      await slack.waitFor(() => replies().length >= 1, 'first question');
      for (const a of ANSWERS) {
        const n = replies().length;
        await slack.say('U0ALICE', root.ts, a);
        await slack.waitFor(() => replies().length > n, 'reply');
      }
      const brief = await slack.waitForMessage((m) => m.thread_ts === root.ts && hasAction('brief.edit')(m));
      const before = replies().length;
      await slack.click('U0ALICE', brief, 'brief.edit');
      const view = await slack.waitFor(() => slack.views[0], 'views.open');
      expect(view.view).toMatchObject({
        type: 'modal',
        callback_id: 'adgen.edit',
        title: { text: 'Edit the ad' },
      });
      expect(JSON.parse(view.view.private_metadata)).toEqual({ channel: root.channel, thread: root.ts });
      // The modal replaces the hint: nothing was posted for the click itself.
      await new Promise((r) => setTimeout(r, 200));
      expect(replies()).toHaveLength(before);
      await slack.submitView('U0ALICE', view, { edit: { text: 'tone: playful, bold' } });
      const edited = await slack.waitForMessage(
        (m) => m.thread_ts === root.ts && hasAction('brief.confirm')(m) && m.ts !== brief.ts,
      );
      expect(JSON.stringify(edited.blocks)).toContain('playful · bold');
    } finally {
      await bot.stop();
      await slack.stop();
    }
  }, 90_000);

  it('Slack: the storyboard’s Edit opens the same modal; its words edit the storyboard', async () => {
    const slack = await FakeSlack.start();
    const adapter = createSlackAdapter(slack.slackConfig(), {
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    const bot = await startBot(config(), { adapters: [adapter], log: silentLogger });
    try {
      await slack.waitForConnection();
      const { root, moods, inThread } = await driveToStoryboard(slack, 'U0ALICE', 'a folding e-scooter');
      await slack.click('U0ALICE', moods[0]!, 'mood.select');
      const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 60_000);
      expect(hasAction('ad.edit')(board)).toBe(true);
      const first = JSON.stringify(board.blocks); // the card is replaced in place once edited
      await slack.click('U0ALICE', board, 'ad.edit');
      const view = await slack.waitFor(() => slack.views[0], 'views.open');
      expect(JSON.parse(view.view.private_metadata)).toEqual({ channel: root.channel, thread: root.ts });
      await slack.submitView('U0ALICE', view, { edit: { text: 'swap scenes 3 and 4' } });
      await slack.waitForMessage(
        inThread((m) => m.bot && /Swapping scenes 3 and 4/.test(m.text)),
        30_000,
      );
      const next = await slack.waitForMessage(
        inThread((m) => hasAction('storyboard.approve')(m) && m.ts !== board.ts),
        60_000,
      );
      const titles = (blocks: string) =>
        (blocks.match(/\d\. \d+-\d+ s · [^\\]+/g) ?? []).map((l) => l.replace(/^\d\. \d+-\d+ s · /, ''));
      // Scene 3's title now comes fourth and scene 4's third.
      const [b3, b4] = titles(first).slice(2, 4);
      const [n3, n4] = titles(JSON.stringify(next.blocks)).slice(2, 4);
      expect(b3).toBeTruthy();
      expect([n3, n4]).toEqual([b4, b3]);
    } finally {
      await bot.stop();
      await slack.stop();
    }
  }, 120_000);

  it('Discord: showModal as the first response, the ModalSubmit becomes the brief change', async () => {
    const discord = await FakeDiscord.start();
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger });
    const bot = await startBot(config(), { adapters: [adapter], log: silentLogger });
    try {
      const slash = discord.slash('alice', 'a folding e-scooter');
      await discord.waitFor(() => slash.callback);
      const threadId: string = await discord.waitFor(
        () => [...discord.channels.values()].find((c) => c.type === 11)?.id,
      );
      const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
      await discord.waitFor(() => botMsgs().length >= 1);
      for (const a of ANSWERS) {
        const n = botMsgs().length;
        discord.say('alice', threadId, a);
        await discord.waitFor(() => botMsgs().length > n);
      }
      const brief = await discord.waitFor(() => botMsgs().find(hasButton('brief.edit')));
      const click = discord.click('alice', brief, 'brief.edit:edit');
      await discord.waitFor(() => click.callback);
      expect(click.callback!.type).toBe(9); // MODAL, not a deferred update
      expect(click.modal).toMatchObject({ custom_id: 'adgen.edit', title: 'Edit the ad' });
      const submit = discord.submitModal('alice', click, { text: 'tone: playful, bold' }, brief);
      await discord.waitFor(() => submit.callback);
      expect(submit.callback!.type).toBe(6); // deferred update of the card it came from
      const edited = await discord.waitFor(() =>
        botMsgs().find((m) => hasButton('brief.confirm')(m) && m.id !== brief.id),
      );
      expect(JSON.stringify(edited.embeds)).toContain('playful · bold');
    } finally {
      await bot.stop();
      await discord.close();
    }
  }, 90_000);
});
