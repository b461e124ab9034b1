import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { startBot } from '../../src/main.ts';
import type { FakeSlack } from '../fakes/slack.ts';
import { type SlackBot, startSlackBot } from './slack-bot.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

const isStatus = (m: { text: string; blocks?: unknown[] }) =>
  /Working|Mood boards are ready|Storyboard ready|Planning|Creating/.test(m.text);

describe('Slack: status at the bottom, images shown once, confirm before cancelling a render', () => {
  let slack: FakeSlack;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-slack-conv-'));
  let stop: SlackBot['stop'];
  beforeAll(async () => {
    // The offline latency leaves time to react ❌ during the render.
    ({ slack, bot, stop } = await startSlackBot(dir, { ADGEN_OFFLINE_LATENCY_MS: '1500' }));
  });
  afterAll(() => stop());

  it('walks a thread and checks each convention at the fake', async () => {
    const { root, moods, inThread } = await driveToStoryboard(
      slack,
      'U0ALICE',
      'a folding e-scooter',
      90_000,
    );
    // Card images: uploaded without channel_id (private to the bot), so no file message in the
    // thread; each mood card still shows its images by slack_file id.
    const imageUploads = slack.uploads.filter((f) => /\.(png|jpe?g)$/i.test(f.filename));
    expect(imageUploads.length).toBeGreaterThanOrEqual(6);
    expect(imageUploads.every((f) => f.channel === undefined)).toBe(true);
    expect(slack.messages.filter((m) => m.thread_ts === root.ts && m.files?.length)).toHaveLength(0);
    const shown = JSON.stringify(moods.map((m) => m.blocks));
    for (const f of imageUploads.slice(0, 6)) expect(shown).toContain(f.id);

    await slack.click('U0ALICE', moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 90_000);
    // The status was re-posted under the cards: the old one deleted, the newest message is the status.
    await slack.waitFor(
      () => {
        const thread = slack.messages.filter((m) => m.thread_ts === root.ts);
        return (
          slack.deleted.length > 0 && isStatus(thread.at(-1)!) && thread.indexOf(board) < thread.length - 1
        );
      },
      'status below the storyboard',
      30_000,
    );
    expect(slack.deleted.every((m) => m.bot && isStatus(m))).toBe(true);

    // Cancel carries Slack's confirm dialog object.
    const cancel = (board.blocks as { elements?: { action_id?: string; confirm?: unknown }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id?.startsWith('job.cancel'));
    expect(cancel?.confirm).toMatchObject({
      title: { type: 'plain_text', text: 'Cancel this ad?' },
      confirm: { type: 'plain_text', text: 'Yes, cancel' },
      deny: { type: 'plain_text', text: 'Keep going' },
      style: 'danger',
    });

    await slack.click('U0ALICE', board, 'storyboard.approve');
    await slack.waitFor(
      () => slack.messages.some((m) => m.thread_ts === root.ts && /Rendering now/.test(m.text)),
      'render',
      30_000,
    );
    const runId = (await bot.app.runs.list())[0]!.id;
    // `/adgen usage` during the render: private (response_url, ephemeral), with the render's stage.
    const threads = slack.messages.filter((m) => !m.thread_ts).length;
    await slack.slashCommand('U0ALICE', 'usage');
    const usage = await slack.waitFor(
      () => slack.responses.find((r) => /Your renders now/.test(String(r.text))),
      'usage answer',
    );
    expect(usage.response_type).toBe('ephemeral');
    expect(String(usage.text)).toMatch(/• .+ — (Animating scenes|rendering|Composing)/);
    expect(String(usage.text)).toMatch(/you today: \$0\.00 · this month: \$0\.00/);
    expect(slack.messages.filter((m) => !m.thread_ts)).toHaveLength(threads); // no new thread
    // ❌ has no dialog: it asks privately with a "Yes, cancel" button and cancels nothing yet.
    await slack.react('U0ALICE', board.ts, 'x');
    const ask = await slack.waitFor(
      () =>
        slack.ephemerals.find(
          (e) => e.user === 'U0ALICE' && JSON.stringify(e.blocks ?? []).includes('job.cancel'),
        ),
      'confirmation question',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect((await bot.app.workflow.view(runId)).phase).toBe('render');
    await slack.clickEphemeral('U0ALICE', ask, 'job.cancel');
    await slack.waitFor(
      async () => (await bot.app.workflow.view(runId)).phase === 'cancelled',
      'cancelled',
      30_000,
    );
    expect(slack.uploads.filter((f) => f.filename.endsWith('.mp4'))).toHaveLength(0);
  }, 240_000);
});
