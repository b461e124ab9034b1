import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { isAdVideo } from '../helpers/uploads.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

/** The bot as its own process (`adgen bot`), against a fake Slack living in the test process. */
describe('Slack: the bot process is killed mid-render and restarted', () => {
  let slack: FakeSlack;
  const bots = botProcesses('adgen-slack-restart-');
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await slack.stop();
    bots.cleanup();
  });

  const startBotProcess = async () => {
    const cfg = slack.slackConfig();
    const child = bots.start({
      SLACK_BOT_TOKEN: cfg.botToken,
      SLACK_APP_TOKEN: cfg.appToken ?? '',
      SLACK_API_URL: cfg.apiUrl ?? '',
    });
    const before = slack.connections;
    await slack.waitFor(() => slack.connections > before, 'bot connection', 60_000);
    await slack.waitForConnection(10_000);
    return child;
  };

  it('continues the render and uploads exactly one video', async () => {
    const first = await startBotProcess();
    const { root, moods, inThread } = await driveToStoryboard(
      slack,
      'U0DAN',
      'noise-cancelling earbuds',
      90_000,
    );
    await slack.click('U0DAN', moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 90_000);
    await slack.click('U0DAN', board, 'storyboard.approve');
    // Kill it once the status message shows clips being made.
    await slack.waitFor(
      () =>
        slack.messages.find(
          (m) => m.thread_ts === root.ts && /Clips: [1-9]/.test(m.text + JSON.stringify(m.blocks)),
        ),
      'render progress',
      90_000,
    );
    await bots.kill(first);
    expect(slack.uploads.filter((f) => isAdVideo(f.filename))).toHaveLength(0);

    await startBotProcess();
    const video = await slack.waitFor(
      () => slack.uploads.find((f) => isAdVideo(f.filename)),
      'video',
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(slack.uploads.filter((f) => isAdVideo(f.filename))).toHaveLength(1);
    expect(video.thread_ts).toBe(root.ts);
    const info = await probeMedia(video.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  }, 300_000);
});
