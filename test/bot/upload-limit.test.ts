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

// 1 MB: too small for 30 s at the final profile's floor, enough at the draft profile's.
const LIMIT = 1_000_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-limit-'));

describe('a chat whose upload limit the final profile cannot meet', () => {
  const chat = createRecordingAdapter(LIMIT);
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const button = (action: string) =>
    chat.last((p) => Boolean(p.card.buttons?.some((b) => b.action === action)));

  it('says so and offers the draft profile, which reuses the clips and fits', async () => {
    const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'final', ADGEN_FORCE_OFFLINE: 'true' });
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
    await chat.command('U1', 'a standing desk for small flats');
    for (const a of [
      'people working from home',
      'calm, smart',
      'minimal, wood',
      'Folds flat; Quiet motor',
      'Order today',
    ]) {
      await chat.say('t1', 'U1', a);
    }
    await chat.click('t1', 'U1', button('brief.confirm')!.id, 'brief.confirm', 'ok');
    const mood = await chat.waitFor(() => button('mood.select'));
    await chat.click('t1', 'U1', mood.id, 'mood.select', '0');
    const board = await chat.waitFor(() => button('storyboard.approve'), 60_000);
    await chat.click('t1', 'U1', board.id, 'storyboard.approve', 'approve');
    const failed = await chat.waitFor(() => button('render.draft'), 120_000);
    expect(failed.card.text).toMatch(/cannot fit in 1000000 bytes/);
    const runId = (await bot.app.runs.list())[0]!.id;
    const clipRuns = () =>
      (
        bot.app.db.$client
          .prepare(
            "select sum(executions) as n from steps where run_id = ? and step_id like 'scene-%/clip/%'",
          )
          .get(runId) as { n: number }
      ).n;
    const before = clipRuns();
    await chat.click('t1', 'U1', failed.id, 'render.draft', 'draft');
    const videos = () => chat.uploads.filter((u) => isAdVideo(u.filename));
    await chat.waitFor(() => videos().length === 1, 120_000);
    expect(clipRuns()).toBe(before);
    const info = await probeMedia(videos()[0]!.path);
    expect(info.sizeBytes).toBeLessThanOrEqual(LIMIT);
    expect(info.video).toMatchObject({ width: 720, height: 1280 });
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  }, 300_000);
});
