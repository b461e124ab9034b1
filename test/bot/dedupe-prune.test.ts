import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-prune-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

describe('seen_events pruning while the bot runs', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('forgets keys past the window on a timer, keeps recent ones (a re-sent event is still deduped)', async () => {
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, pruneEveryMs: 50 });
    const sqlite = bot.app.db.$client;
    const keys = () =>
      (sqlite.prepare('select key from seen_events order by key').all() as { key: string }[]).map(
        (r) => r.key,
      );
    // Stored after the start-up prune, so only the running timer can remove it.
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000).toISOString();
    sqlite
      .prepare('insert into seen_events (key, received_at) values (?, ?)')
      .run('console:command:old', twoDaysAgo);
    const justInside = new Date(Date.now() - 23 * 3600_000).toISOString();
    sqlite
      .prepare('insert into seen_events (key, received_at) values (?, ?)')
      .run('console:command:day', justInside);

    const event = {
      type: 'command',
      eventId: 'E-recent',
      platform: 'console',
      channel: 'C1',
      user: 'UREQ',
      text: '',
    } as const;
    await chat.send(event);
    const postsAfterFirst = chat.posts.length;
    expect(postsAfterFirst).toBeGreaterThan(0);

    const deadline = Date.now() + 10_000;
    while (keys().includes('console:command:old') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25));
    expect(keys()).toEqual(['console:command:E-recent', 'console:command:day']);

    // Slack re-sends the same event: still known, so nothing happens twice.
    await chat.send(event);
    expect(chat.posts.length).toBe(postsAfterFirst);
  });
});
