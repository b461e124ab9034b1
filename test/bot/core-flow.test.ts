import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';
import { isAdVideo } from '../helpers/uploads.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bot-'));
const config = loadConfig({
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  ADGEN_REVIEWERS: 'UREVIEW',
  ADGEN_APPROVALS_REQUIRED: '2',
});

describe('bot core: a whole thread on the offline pipeline', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const thread = 't1';
  const button = (action: string) =>
    chat.last((p) =>
      Boolean(
        p.card.buttons?.some((b) => b.action === action) || p.card.selects?.some((s) => s.action === action),
      ),
    );

  it('runs brief -> moods -> storyboard -> scene regenerate -> quorum approval -> one video', async () => {
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
    await chat.command('UREQ', 'a cold brew coffee subscription for remote workers');
    expect(chat.posts[0]!.card.title).toMatch(/New video ad/);
    for (const answer of [
      'remote workers aged 25-40',
      'warm, energetic',
      'sunlit, clean',
      'Fresh every two weeks; Cancel anytime',
      'Get 50% off today',
    ]) {
      await chat.say(thread, 'UREQ', answer);
    }
    const brief = await chat.waitFor(() => button('brief.confirm'));
    expect(brief.card.fields?.find((f) => f.label === 'Audience')?.value).toBe('remote workers aged 25-40');

    // Someone else may not confirm; a duplicate delivery acts once.
    await chat.click(thread, 'USTRANGER', brief.id, 'brief.confirm', 'ok');
    expect(chat.privates.at(-1)).toMatchObject({
      user: 'USTRANGER',
      text: expect.stringMatching(/Only <@UREQ>/),
    });
    const confirm = {
      type: 'action' as const,
      eventId: 'dup-1',
      thread: { platform: 'console' as const, channel: 'C1', thread },
      user: 'UREQ',
      messageId: brief.id,
      action: 'brief.confirm',
      value: 'ok',
    };
    await chat.send(confirm);
    await chat.send(confirm);
    await chat.waitFor(
      () => chat.posts.filter((p) => p.card.buttons?.some((b) => b.action === 'mood.select')).length === 3,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(chat.posts.filter((p) => p.card.buttons?.some((b) => b.action === 'mood.select'))).toHaveLength(3);

    const moodCards = chat.posts.filter((p) => p.card.buttons?.some((b) => b.action === 'mood.select'));
    expect(moodCards[1]!.card.images).toHaveLength(2);
    await chat.react('USTRANGER', moodCards[1]!.id, 'other');
    await chat.waitFor(() => moodCards[1]!.updates.at(-1)?.footer?.startsWith('1 vote'));
    await chat.click(thread, 'UREQ', moodCards[1]!.id, 'mood.select', '1');
    const board = await chat.waitFor(() => button('storyboard.approve'));
    expect(board.card.images!.length).toBeGreaterThanOrEqual(5);
    expect(board.card.fields?.[0]?.label).toMatch(/cost estimate/i);

    await chat.click(thread, 'UREQ', board.id, 'scene.regenerate', '1');
    const board2 = await chat.waitFor(() => {
      const b = button('storyboard.approve');
      return b && b.id !== board.id ? b : undefined;
    });
    const changed = board2.card.images!.filter((img, i) => img.path !== board.card.images![i]!.path);
    expect(changed).toHaveLength(1);

    await chat.react('UREQ', board2.id, 'approve');
    const videos = () => chat.uploads.filter((u) => isAdVideo(u.filename));
    expect(videos()).toHaveLength(0);
    await chat.react('UREVIEW', board2.id, 'approve');
    await chat.waitFor(() => videos().length === 1, 90_000);
    const video = videos()[0]!;
    expect(video.comment).toMatch(/30\.0 s · [\d.]+ MB · [5-7] scenes/);
    const info = await probeMedia(video.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    await chat.waitFor(async () => (await bot.app.runs.list())[0]?.status === 'succeeded');
  });

  it('answers malformed input helpfully and never crashes', async () => {
    const before = chat.posts.length;
    await chat.command('UREQ', '');
    const t2 = chat.posts[before]!.thread;
    await chat.waitFor(() => chat.posts.length >= before + 2);
    await chat.say(t2, 'UREQ', '🎉🎉🎉');
    expect(chat.posts.at(-1)!.card.text).toMatch(/need a few words/);
    await chat.say(t2, 'UREQ', 'x'.repeat(10_000));
    expect(chat.posts.some((p) => /first 1500 characters/.test(p.card.text))).toBe(true);
    await chat.click(t2, 'UREQ', 'nope', 'launch.missiles', '1');
    expect(chat.privates.at(-1)!.text).toMatch(/don’t know that button/);
    await chat.click(t2, 'UREQ', 'nope', 'job.cancel', 'x');
    await chat.click(t2, 'UREQ', 'nope', 'mood.select', '9');
    expect(chat.privates.at(-1)!.text).toMatch(/cancelled/);
    await chat.click('t999', 'UREQ', 'nope', 'mood.select', '1');
    expect(chat.privates.at(-1)!.text).toMatch(/no longer know this thread/);
  });
});
