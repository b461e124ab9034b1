import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChat } from '../helpers/chat-process.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-decide-kill-'));
const env = {
  ...process.env,
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  // Slow providers keep the window between "decision stored" and "card posted" wide open.
  ADGEN_OFFLINE_LATENCY_MS: '800',
  // The restarted process waits out the killed one's run lease: keep it short.
  ADGEN_LEASE_TTL_MS: '1500',
};
const query = dbQuery(dir);
const decisions = (kind: string) =>
  query<{ n: number }>(`select count(*) as n from decisions where kind = '${kind}'`)[0]!.n;
const STORYBOARD_CARD = /\[\d+\] Approve & render/g;
const VIDEO = /🎬 (\S+\.mp4)/g;

describe('adgen chat: a click is never lost to a kill right after it is stored', () => {
  const chats: ReturnType<typeof startChat>[] = [];
  afterAll(async () => {
    for (const c of chats) await c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Select then SIGKILL before the storyboard is posted; ✅ then SIGKILL before the render: each arrives once', async () => {
    const a = startChat(env, ['a refillable glass water bottle for cyclists']);
    chats.push(a);
    await a.waitFor(/Who is it for/);
    await a.answer(['commuting cyclists', 'fresh, bold', 'bright, graphic', 'Keeps cold 24 h', 'Shop now']);
    a.type(await a.choice(/Looks good/));
    a.type(await a.choice(/Select /));
    // The worst moment: the choice is stored, nothing has been said about it yet.
    await waitUntil(() => decisions('mood.choose') === 1, 30_000, 'the stored mood choice');
    await a.kill();
    expect(a.output()).not.toMatch(STORYBOARD_CARD);
    const sceneImages = query<{ n: number }>(
      "select count(*) as n from steps where step_id like 'scene-%/image/%/collect' and status = 'succeeded'",
    )[0]!.n;
    expect(sceneImages).toBe(0);

    const b = startChat(env);
    chats.push(b);
    await b.waitFor(/Approve & render/, 0, 120_000);
    await new Promise((r) => setTimeout(r, 1_000)); // a second card would come right after
    expect(b.output().match(STORYBOARD_CARD)).toHaveLength(1);
    expect(decisions('mood.choose')).toBe(1);

    b.type('+✅');
    await waitUntil(() => decisions('storyboard.approve') === 1, 30_000, 'the stored approval');
    await b.kill();
    expect(b.output()).not.toMatch(VIDEO);
    // Killed before any clip was made: the restart alone has to start the render.
    const clips = query<{ n: number }>(
      "select count(*) as n from steps where step_id like 'scene-%/clip/%/collect' and status = 'succeeded'",
    )[0]!.n;
    expect(clips).toBe(0);

    const c = startChat(env);
    chats.push(c);
    await c.waitFor(VIDEO, 0, 180_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(c.output().match(VIDEO)).toHaveLength(1);
    expect(c.output()).not.toMatch(STORYBOARD_CARD); // no one is asked to approve again
    expect(decisions('storyboard.approve')).toBe(1);
    const delivered = query<{ n: number }>("select count(*) as n from assets where kind = 'video'")[0]!.n;
    expect(delivered).toBe(1);
    await c.quit();
  }, 360_000);
});
