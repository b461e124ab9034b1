import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack.ts';
import type { HoldWhen } from '../fakes/upload-hold.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { isAdVideo } from '../helpers/uploads.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

type Intent = { kind: string; status: string; nonce: string; external_id: string | null };

/**
 * `adgen bot` as its own process, SIGKILLed inside the upload of the finished video: with the
 * file already in the thread but Slack's answer held (`after`), or before anything arrived
 * (`before`). After a restart the thread must hold exactly one video and the thread says done.
 */
describe('Slack: the bot is killed during the video upload and restarted', () => {
  let slack: FakeSlack;
  const runs: ReturnType<typeof botProcesses>[] = [];
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    await slack.stop();
    for (const r of runs) r.cleanup();
  });

  async function killDuringUpload(when: HoldWhen, user: string) {
    const bots = botProcesses(`adgen-slack-kill-${when}-`);
    runs.push(bots);
    const query = dbQuery(bots.dir);
    const start = async () => {
      const cfg = slack.slackConfig();
      const before = slack.connections;
      // No kill mid-render here: the offline providers may be quick.
      const child = bots.start({
        SLACK_BOT_TOKEN: cfg.botToken,
        SLACK_APP_TOKEN: cfg.appToken ?? '',
        SLACK_API_URL: cfg.apiUrl ?? '',
        ADGEN_OFFLINE_LATENCY_MS: '20',
      });
      await slack.waitFor(() => slack.connections > before, 'bot connection', 60_000);
      await slack.waitForConnection(10_000);
      return child;
    };
    const first = await start();
    const { root, moods, inThread } = await driveToStoryboard(slack, user, 'foldable e-scooter', 90_000);
    const videos = () => slack.uploads.filter((f) => f.thread_ts === root.ts && isAdVideo(f.filename));
    await slack.click(user, moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 90_000);
    const hold = slack.holdUpload(when);
    await slack.click(user, board, 'storyboard.approve');
    await Promise.race([
      hold.reached,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('upload never reached the fake')), 150_000),
      ),
    ]);
    // Inside the window: the intent is stored; the file is in the thread only in the `after` case.
    const [open] = query<Intent>(
      "select kind, status, nonce, external_id from intents where kind = 'delivery'",
    );
    expect(open).toMatchObject({ status: 'open', external_id: null });
    expect(videos()).toHaveLength(when === 'after' ? 1 : 0);
    await bots.kill(first);
    await new Promise((r) => setTimeout(r, 200)); // the fake sees the connection close
    hold.release();
    await new Promise((r) => setTimeout(r, 300));
    // Still what the window held: the dead process's request does not land late.
    expect(videos()).toHaveLength(when === 'after' ? 1 : 0);

    const second = await start();
    await waitUntil(
      () => query<{ status: string }>('select status from runs')[0]?.status === 'succeeded',
      150_000,
      'the thread to finish',
    );
    await new Promise((r) => setTimeout(r, 1500)); // a second upload would have arrived by now
    const [done] = query<Intent>(
      "select kind, status, nonce, external_id from intents where kind = 'delivery'",
    );
    expect(videos()).toHaveLength(1);
    expect(videos()[0]!.filename).toContain(open!.nonce);
    expect(done).toMatchObject({ status: 'done', nonce: open!.nonce, external_id: videos()[0]!.id });
    const replies = slack.callsTo('conversations.replies').filter((c) => c.args.ts === root.ts);
    console.log(
      `slack kill ${when} the upload: ${videos().length} video(s) in the thread, ${replies.length} history read(s)`,
    );
    await bots.kill(second);
    return replies.length;
  }

  it('killed after Slack recorded the file (completeUploadExternal unanswered): one video', async () => {
    expect(await killDuringUpload('after', 'U0ANA')).toBeGreaterThanOrEqual(1);
  }, 400_000);

  it('killed before the upload reached Slack (intent stored, nothing uploaded): one video', async () => {
    expect(await killDuringUpload('before', 'U0BEA')).toBeGreaterThanOrEqual(1);
  }, 400_000);
});
