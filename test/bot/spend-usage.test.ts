import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { createOfflineProviders } from '../../src/pipeline/providers/offline/index.ts';
import { priced } from '../helpers/priced.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bot-spend-'));
const config = loadConfig({
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  ADGEN_BUDGET_USER_DAILY_USD: '3.5',
  ADGEN_BUDGET_WORKSPACE_DAILY_USD: '50',
});
const offline = createOfflineProviders();
const providers = {
  ...offline,
  video: priced(offline.video, 1),
  music: priced(offline.music, 0.25),
};
const clock = { ms: Date.UTC(2026, 11, 1, 21, 30) };

describe('bot: budgets in the thread and /adgen usage', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const button = (action: string) =>
    chat.last((p) => Boolean(p.card.buttons?.some((b) => b.action === action)));

  it('usage answers privately; a render over budget pauses with the reason and continues after midnight', async () => {
    bot = await startBot(config, {
      adapters: [chat.adapter],
      log: silentLogger,
      statusIntervalMs: 50,
      providers,
      now: () => clock.ms,
    });
    await chat.command('UREQ', 'usage');
    expect(chat.posts).toHaveLength(0); // no thread for a subcommand
    expect(chat.privates.at(-1)!.text).toMatch(
      /none running[\s\S]*you today: \$0\.00 of \$3\.50 · this month: \$0\.00/,
    );
    expect(chat.privates.at(-1)!.text).toMatch(/this workspace today: \$0\.00 of \$50\.00/);
    expect(chat.privates.at(-1)!.text).toMatch(/next: 2026-12-02 00:00 UTC/);

    await chat.command('UREQ', 'a cold brew coffee subscription for remote workers');
    for (const answer of ['remote workers aged 25-40', 'warm', 'sunlit', 'Fresh every week', 'Get 50% off'])
      await chat.say('t1', 'UREQ', answer);
    const brief = await chat.waitFor(() => button('brief.confirm'));
    await chat.click('t1', 'UREQ', brief.id, 'brief.confirm', 'ok');
    const mood = await chat.waitFor(() => button('mood.select'));
    await chat.click('t1', 'UREQ', mood.id, 'mood.select', String(mood.card.buttons![0]!.value));
    const board = await chat.waitFor(() => button('storyboard.approve'));
    // Said before approving: rendering this would not fit today's budget.
    expect(board.card.fields?.find((f) => f.label === '⚠️ Over budget')?.value).toMatch(
      /your daily budget is \$3\.50/,
    );
    await chat.click('t1', 'UREQ', board.id, 'storyboard.approve', 'approve');

    const paused = await chat.waitFor(() => button('job.continue'), 90_000);
    expect(paused.card.title).toMatch(/Paused/);
    expect(paused.card.text).toMatch(/^Paused before scene \d's clip: your daily budget is \$3\.50/);
    expect(paused.card.text).toContain('resets at 00:00 UTC (in 2 h 30 min)');
    expect(chat.uploads).toHaveLength(0);
    await chat.command('UREQ', 'status');
    expect(chat.privates.at(-1)!.text).toMatch(/you today: \$3\.25 of \$3\.50/);

    clock.ms = Date.UTC(2026, 11, 2, 0, 5);
    await chat.click('t1', 'UREQ', paused.id, 'job.continue', 'continue');
    await chat.waitFor(() => chat.uploads.length === 1, 90_000);
    // While clips landed, the status showed a small JPEG of the latest clip's middle frame.
    const frames = chat.posts
      .flatMap((p) => [p.card, ...p.updates])
      .filter((c) => c.kind === 'status')
      .flatMap((c) => c.images ?? []);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.at(-1)!.path).toMatch(/preview-\d+-.*\.jpg$/);
    const frame = await probeMedia(frames.at(-1)!.path);
    expect(frame.video).toMatchObject({ width: 240 });
    await chat.command('UREQ', 'usage');
    expect(chat.privates.at(-1)!.text).toMatch(
      /none running[\s\S]*you today: \$[2-4]\.00 of \$3\.50 · this month: \$[5-7]\.25/,
    );
  }, 180_000);
});
