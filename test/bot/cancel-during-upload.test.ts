import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatAdapter } from '../../src/bot/core/ports.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';
import { isAdVideo } from '../helpers/uploads.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cancel-upload-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

describe('cancel while the video is being posted', () => {
  const chat = createRecordingAdapter();
  // The upload is held open, like a slow upload to Slack, until the test lets it go.
  let release = () => {};
  let uploading = () => {};
  const started = new Promise<void>((r) => {
    uploading = r;
  });
  const held: ChatAdapter = {
    ...chat.adapter,
    async upload(thread, file) {
      // The storyboard's free preview goes through; the video is the upload held open.
      if (!isAdVideo(file.filename)) return chat.adapter.upload(thread, file);
      uploading();
      await new Promise<void>((r) => {
        release = r;
      });
      return chat.adapter.upload(thread, file);
    },
  };
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is refused with the reason; one video arrives and the thread and the run both end done', async () => {
    bot = await startBot(config, { adapters: [held], log: silentLogger, statusIntervalMs: 50 });
    await chat.command('UREQ', 'a cold brew subscription');
    for (const a of ['remote workers', 'warm', 'sunlit', 'Fresh every week', 'Order now'])
      await chat.say('t1', 'UREQ', a);
    const button = (action: string) =>
      chat.last((p) => Boolean(p.card.buttons?.some((b) => b.action === action)));
    await chat.click(
      't1',
      'UREQ',
      (await chat.waitFor(() => button('brief.confirm'))).id,
      'brief.confirm',
      'ok',
    );
    const mood = await chat.waitFor(() => button('mood.select'));
    await chat.click('t1', 'UREQ', mood.id, 'mood.select', '0');
    const board = await chat.waitFor(() => button('storyboard.approve'), 60_000);
    await chat.click('t1', 'UREQ', board.id, 'storyboard.approve', 'approve');
    await started;
    await chat.react('UREQ', board.id, 'cancel');
    await chat.click('t1', 'UREQ', board.id, 'job.cancel', 'cancel');
    expect(chat.privates.slice(-2).map((p) => p.text)).toEqual([
      expect.stringMatching(/already being posted/),
      expect.stringMatching(/already being posted/),
    ]);
    expect(chat.posts.some((p) => p.updates.some((u) => /Cancelled/.test(u.title ?? '')))).toBe(false);
    release();
    await chat.waitFor(() => chat.uploads.filter((u) => isAdVideo(u.filename)).length === 1, 60_000);
    const runId = (await bot.app.runs.list())[0]!.id;
    await chat.waitFor(async () => (await bot.app.workflow.view(runId)).phase === 'done');
    const status = chat.posts.find((p) => p.updates.some((u) => /Done/.test(u.title ?? '')));
    expect(status?.updates.at(-1)?.title).toMatch(/Done/);
    expect((await bot.app.pipeline.get(runId)).status).toBe('succeeded');
  });
});
