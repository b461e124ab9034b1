import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANCEL_CONFIRMED } from '../../src/bot/core/card-builders.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { startFakes } from '../helpers/fakes.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const VIDEO_MODEL = 'bytedance/seedance-1-pro-fast';

/**
 * Cancelling a later version (a New take under way) goes back to the finished ad: v1 stays the
 * latest version with working buttons, nothing more is posted, and the ad is not cancelled. Real
 * Replicate client against its loopback fake; the cancel lands while the new clips are in flight.
 */
describe('cancelling a new version goes back to the finished one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-version-cancel-'));
  const chat = createRecordingAdapter();
  const thread = 't1';
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    fakes = await startFakes();
    const { OPENAI_API_KEY: _k, OPENAI_BASE_URL: _u, ...media } = fakes.env;
    const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ...media });
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
  });
  afterAll(async () => {
    await bot?.stop();
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const withButton = (action: string) => (p: (typeof chat.posts)[number]) =>
    Boolean(p.card.buttons?.some((b) => b.action === action));
  const latest = (action: string) => chat.last(withButton(action));
  const videos = () => chat.uploads.filter((u) => !u.filename.includes('preview'));
  const clipCreates = () => fakes.replicate.createsByModel()[VIDEO_MODEL] ?? 0;

  it('v1, New take, cancel mid-clips: back to v1; its buttons then make v2', async () => {
    await chat.command('UREQ', 'a folding e-bike for city commuters');
    for (const answer of ['commuters', 'bold', 'neon', 'Folds in 10 s', 'Ride today'])
      await chat.say(thread, 'UREQ', answer);
    await chat.click(
      thread,
      'UREQ',
      (await chat.waitFor(() => latest('brief.confirm'))).id,
      'brief.confirm',
      'ok',
    );
    await chat.waitFor(() => chat.posts.filter(withButton('mood.select')).length === 3);
    await chat.click(thread, 'UREQ', chat.posts.filter(withButton('mood.select'))[0]!.id, 'mood.select', '0');
    const board = await chat.waitFor(() => latest('storyboard.approve'));
    await chat.click(thread, 'UREQ', board.id, 'storyboard.approve', 'approve');
    const v1 = await chat.waitFor(() => latest('video.new_take'), 90_000);
    expect(videos()).toHaveLength(1);
    const runId = (await bot.app.runs.list())[0]!.id;
    const scenes = clipCreates();

    // The new take's clips take 4 s each: the cancel lands while they are in flight.
    fakes.replicate.latency.video = 4000;
    await chat.click(thread, 'UREQ', v1.id, 'video.new_take', 'take');
    const confirm = await chat.waitFor(() => latest('video.take_confirm'));
    await chat.click(thread, 'UREQ', confirm.id, 'video.take_confirm', 'confirm');
    await chat.waitFor(() => clipCreates() === 2 * scenes, 30_000);
    expect((await bot.app.workflow.view(runId)).phase).toBe('render');
    await chat.click(thread, 'UREQ', confirm.id, 'job.cancel', CANCEL_CONFIRMED);
    await chat.waitFor(() =>
      chat.posts.some((p) => /v2 is cancelled; v1 is the latest version again/.test(p.card.text)),
    );
    // The clips' 4 s pass: nothing is posted, the run is the finished v1, not a cancelled ad.
    await new Promise((r) => setTimeout(r, 5000));
    expect(videos()).toHaveLength(1);
    const back = await bot.app.workflow.view(runId);
    expect(back).toMatchObject({ phase: 'done', version: { n: 1, rev: 'v1' } });
    expect((await bot.app.runs.get(runId))?.status).toBe('succeeded');
    expect(chat.posts.some((p) => [p.card, ...p.updates].some((c) => /Cancelled/.test(c.title ?? '')))).toBe(
      false,
    );
    // Every prediction the provider made is on record, and none is left running (billing).
    const recorded = bot.app.db.$client
      .prepare('select provider_id as id from predictions where run_id = ?')
      .all(runId) as { id: string }[];
    const made = [...fakes.replicate.predictions.keys()];
    expect(new Set(recorded.map((r) => r.id))).toEqual(new Set(made));
    const live = made.filter((id) => ['starting', 'processing'].includes(fakes.replicate.statusOf(id) ?? ''));
    expect(live).toEqual([]);

    // v1's buttons work again: Change music makes v2 (the next number) and posts it.
    fakes.replicate.latency.video = 120;
    await chat.click(thread, 'UREQ', v1.id, 'video.change_music', 'music');
    await chat.waitFor(() => videos().length === 2, 90_000);
    expect(videos()[1]!.comment).toMatch(/v2 · Music changed/);
    expect(clipCreates()).toBe(2 * scenes);
  }, 180_000);
});
