import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeSlack } from '../fakes/slack.ts';
import { type SlackBot, startSlackBot } from './slack-bot.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

describe('Slack: direction in words in the thread, through the real Bolt app', () => {
  let slack: FakeSlack;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-slack-edits-'));
  let stop: SlackBot['stop'];
  beforeAll(async () => {
    ({ slack, stop } = await startSlackBot(dir));
  });
  afterAll(() => stop());

  it('a scene edit gets one line and a new storyboard; a stranger is told privately; text stays text', async () => {
    const { root, moods, inThread } = await driveToStoryboard(slack, 'U0ALICE', 'a folding e-scooter');
    await slack.click('U0ALICE', moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 60_000);
    const said = (re: RegExp) =>
      slack.waitForMessage((m) => m.bot && m.thread_ts === root.ts && re.test(m.text), 30_000);

    await slack.say('U0BOB', root.ts, 'scene 2 at night');
    await slack.waitFor(
      () => slack.ephemerals.find((e) => e.user === 'U0BOB' && /Only <@U0ALICE>/.test(e.text)),
      'private refusal',
    );

    await slack.say('U0ALICE', root.ts, 'scene 2 at night, keep the rest');
    await said(/^✏️ Scene 2 \(intro\): .*Re-making its image and clip/);
    const board2 = await slack.waitForMessage(
      (m) => inThread(hasAction('storyboard.approve'))(m) && m.ts !== board.ts,
      60_000,
    );
    expect(JSON.stringify(board2.blocks)).toMatch(/at night/);

    // Markup in people's words is shown as text: Slack's entities escaped, no mention or link made.
    await slack.say('U0ALICE', root.ts, 'end with "Ride <!channel> & save"');
    await said(/on screen “Ride &lt;!channel&gt; &amp; save”/);

    await slack.say('U0ALICE', root.ts, 'nice!');
    await said(/^The storyboard is ready: approve it to render/);
  }, 120_000);
});
