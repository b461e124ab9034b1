import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { describePg, freshPgDatabase } from '../helpers/pg.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

type Running = Awaited<ReturnType<typeof startBot>>;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `adgen bot` in this process with ADGEN_OPS_PORT=0 (any free port) and a chat adapter we steer. */
async function botWithOps(env: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-ops-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    ADGEN_FORCE_OFFLINE: 'true',
    ADGEN_OPS_PORT: '0',
    ...env,
  });
  const chat = createRecordingAdapter();
  let up = true;
  const adapter = { ...chat.adapter, connected: () => up };
  const bot: Running = await startBot(config, { adapters: [adapter], log: silentLogger });
  cleanups.push(() => bot.stop());
  expect(bot.opsServer).not.toBeNull();
  const get = (p: string) => fetch(`http://127.0.0.1:${bot.opsServer!.port}${p}`);
  return { bot, chat, get, setChatUp: (v: boolean) => (up = v) };
}

describe('ops HTTP wired into `adgen bot` (SQLite)', () => {
  it('is ready with the database and chat up; 503 naming chat when its connection drops', async () => {
    const { get, setChatUp } = await botWithOps();
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(Object.keys((await ready.json()).checks).sort()).toEqual(['chat', 'database']);
    setChatUp(false);
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect((await down.json()).failing).toEqual(['chat']);
    expect((await get('/healthz')).status).toBe(200); // alive, just not ready
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toContain('# TYPE adgen_renders_in_flight gauge');
    expect(metrics).toContain('# TYPE adgen_job_latency_seconds histogram');
  });

  it('stays off when ADGEN_OPS_PORT is unset', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-ops-off-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
    const bot = await startBot(config, { adapters: [createRecordingAdapter().adapter], log: silentLogger });
    cleanups.push(() => bot.stop());
    expect(bot.opsServer).toBeNull();
  });
});

describePg('`adgen bot` on PostgreSQL with ops HTTP', (url) => {
  it('runs on ADGEN_DATABASE_URL (no SQLite file), and /readyz names the database once it is gone', async () => {
    const fresh = await freshPgDatabase(url, 'bot');
    cleanups.push(() => fresh.drop());
    const { bot, chat, get } = await botWithOps({ ADGEN_DATABASE_URL: fresh.url });
    expect(bot.app.database.backend).toBe('postgres');
    expect(fs.existsSync(bot.app.config.dbPath)).toBe(false);
    await chat.send({
      type: 'command',
      eventId: 'E1',
      platform: 'console',
      channel: 'C1',
      user: 'U1',
      text: '',
    });
    expect(chat.posts.length).toBeGreaterThan(0);
    expect(await bot.app.stores.threads.firstDelivery('console:command:E1')).toBe(false); // stored in PG
    expect((await get('/readyz')).status).toBe(200);
    await fresh.drop(); // the database disappears under the running bot
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    // The job queue lives in the same database (issue 11): it is named as well.
    expect((await down.json()).failing).toEqual(['database', 'queue']);
  });
});
