import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import { isAdVideo } from '../helpers/uploads.ts';
import { type SlackBot, startSlackBot } from './slack-bot.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

describe('Slack end to end: the real Bolt app against a loopback Slack', () => {
  let slack: FakeSlack;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-slack-e2e-'));
  let stop: SlackBot['stop'];
  beforeAll(async () => {
    ({ slack, stop } = await startSlackBot(dir));
  });
  afterAll(() => stop());

  it('/adgen -> brief -> mood -> regenerate one scene -> approve -> MP4 in the thread', async () => {
    const { root, moods, inThread } = await driveToStoryboard(slack, 'U0ALICE', 'a folding e-scooter');
    // Mood cards show their sample images from files uploaded into the thread.
    expect(JSON.stringify(moods[0]!.blocks)).toContain('slack_file');

    // A teammate who is not a reviewer may vote but not decide.
    await slack.react('U0BOB', moods[2]!.ts, 'three');
    await slack.click('U0BOB', moods[2]!, 'mood.select');
    await slack.waitFor(
      () => slack.ephemerals.find((e) => e.user === 'U0BOB' && /Only <@U0ALICE>/.test(e.text)),
      'refusal',
    );

    // The same click delivered twice (Slack re-sends after a missed ack) acts once.
    const click = await slack.click('U0ALICE', moods[2]!, 'mood.select');
    await slack.redeliver(click);
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 60_000);
    expect(slack.messages.filter(inThread(hasAction('storyboard.approve')))).toHaveLength(1);
    expect(board.text + JSON.stringify(board.blocks)).toMatch(/cost estimate/i);

    await slack.click('U0ALICE', board, 'scene.regenerate', '2');
    const board2 = await slack.waitForMessage(
      (m) => inThread(hasAction('storyboard.approve'))(m) && m.ts !== board.ts,
      60_000,
    );
    await slack.react('U0ALICE', board2.ts, 'white_check_mark');
    const video = await slack.waitFor(
      () => slack.uploads.find((f) => isAdVideo(f.filename)),
      'video upload',
      90_000,
    );
    expect(video.thread_ts).toBe(root.ts);
    expect(video.initial_comment).toMatch(/30\.0 s .* scenes/);
    const info = await probeMedia(video.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    expect(info.video).toMatchObject({ width: 144, height: 256 });
    // The status showed the render's progress: edited in place, or posted again at the bottom
    // when cards pushed it up (the old one deleted), so look at every update and every message.
    const botInThread = [...slack.messages, ...slack.deleted].filter((m) => m.thread_ts === root.ts && m.bot);
    const threadMessages = new Set(botInThread.map((m) => m.ts));
    const shown = [
      ...slack.updates
        .filter((u) => threadMessages.has(u.ts))
        .map((u) => u.text + JSON.stringify(u.blocks ?? [])),
      ...botInThread.map((m) => m.text + JSON.stringify(m.blocks)),
    ];
    expect(shown.some((t) => /Clips: \d+\/\d+/.test(t))).toBe(true);
    expect(shown.some((t) => /Done/.test(t))).toBe(true);
    for (const ms of slack.ackTimesMs()) expect(ms).toBeLessThan(3000);
  }, 180_000);

  it('malformed input gets a helpful reply and the bot keeps working', async () => {
    await slack.slashCommand('U0CAROL', '');
    const root = await slack.waitForMessage(
      (m) => m.bot && !m.thread_ts && m.text.includes('New video ad') && !m.text.includes('e-scooter'),
    );
    const replies = () => slack.messages.filter((m) => m.thread_ts === root.ts && m.bot);
    await slack.waitFor(() => replies().length >= 1, 'question');
    await slack.say('U0CAROL', root.ts, '🙂🙂🙂');
    await slack.waitFor(() => replies().some((m) => /a few words/.test(m.text)), 'emoji hint');
    await slack.say('U0CAROL', root.ts, 'y'.repeat(10_000));
    await slack.waitFor(() => replies().some((m) => /first 1500 characters/.test(m.text)), 'long hint');
    await slack.click('U0CAROL', replies()[0]!, 'rocket.launch', 'x');
    await slack.waitFor(
      () => slack.ephemerals.some((e) => e.user === 'U0CAROL' && /don’t know that button/.test(e.text)),
      'unknown',
    );
    await slack.react('U0CAROL', root.ts, 'x');
    await slack.say('U0CAROL', root.ts, 'help');
    await slack.waitFor(() => replies().some((m) => /30-second vertical video ad/.test(m.text)), 'help');
  }, 60_000);
});
