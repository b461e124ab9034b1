import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { waitUntil } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';
import { describePg, freshPgDatabase } from '../helpers/pg.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

const LEASE_TTL_MS = 1500;
const isVideoModel = (p: { model: string }) => p.model.includes('seedance');

/**
 * Scaled out (issue 11): one `adgen gateway` and two `adgen worker` processes on the PostgreSQL
 * queue, the real Bolt / replicate / openai clients against the fakes, the tiny profile.
 */
describePg('Slack: a gateway and two workers on PostgreSQL', (serverUrl) => {
  let slack: FakeSlack;
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let pgDb: Awaited<ReturnType<typeof freshPgDatabase>>;
  let pool: pg.Pool;
  const procs = botProcesses('adgen-scale-out-');
  const query = async <T>(sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as T[];
  const workers: ChildProcess[] = [];
  let env: Record<string, string>;

  const startGateway = async () => {
    const before = slack.connections;
    const child = procs.start(env, 'gateway');
    await slack.waitFor(() => slack.connections > before, 'gateway connection', 60_000);
    await slack.waitForConnection(10_000);
    return child;
  };
  const dataDirs: string[] = [];
  /** Each worker has its own data folder: nothing is shared but PostgreSQL (issue 11, media). */
  const startWorker = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-worker-'));
    dataDirs.push(dir);
    const w = procs.start({ ...env, ADGEN_DATA_DIR: dir }, 'worker');
    workers.push(w);
    return w;
  };
  /** The ads in a thread (a free preview's name says `preview`). */
  const mp4s = (threadTs: string) =>
    slack.uploads.filter(
      (f) => f.filename.endsWith('.mp4') && !f.filename.includes('preview') && f.thread_ts === threadTs,
    );
  const leaseOwnerPid = async (runId: string) => {
    const sql = 'select lease_owner as owner from runs where id = $1';
    const [row] = await query<{ owner: string | null }>(sql, [runId]);
    return row?.owner ? Number(row.owner.split(':')[1]) : undefined;
  };
  const runOf = async (threadTs: string) => {
    const rows = await query<{ id: string }>('select id from runs where id like $1', [
      `%${threadTs.replace('.', '-')}%`,
    ]);
    return rows[0]!.id;
  };
  /** Every create at the Replicate fake is a prediction the run recorded: none made twice. */
  const predictionRows = async () =>
    (await query<{ n: number }>('select count(*)::int as n from predictions'))[0]!.n;
  const paidOnce = async () => {
    expect(fakes.replicate.stats.creates).toBe(await predictionRows());
  };
  /** Polls an async condition (the database is in another process's hands). */
  const until = async (cond: () => Promise<boolean>, ms: number, what: string) => {
    const end = Date.now() + ms;
    while (!(await cond())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  /** Up to the storyboard approval of a new ad; resolves once its render has clip creates in flight. */
  const approveAndWaitForClips = async (user: string, idea: string, holdMs = 3000) => {
    const { root, moods, inThread } = await driveToStoryboard(slack, user, idea, 90_000);
    await slack.click(user, moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 90_000);
    // Creates still held for an earlier test's render must not count as this render's.
    await waitUntil(() => fakes.replicate.late.inFlight() === 0, 30_000, 'earlier held creates to end');
    fakes.replicate.late.clear();
    fakes.replicate.late.add({ match: isVideoModel, holdMs, times: 2 });
    await slack.click(user, board, 'storyboard.approve');
    await waitUntil(() => fakes.replicate.late.inFlight() >= 1, 90_000, 'clip creates in flight');
    return root;
  };

  beforeAll(async () => {
    slack = await FakeSlack.start();
    fakes = await startFakes({ latencyMs: { image: 300, video: 2500, audio: 2500 } });
    pgDb = await freshPgDatabase(serverUrl, 'scale_out');
    pool = new pg.Pool({ connectionString: pgDb.url, max: 2 });
    // pg-pool's end() resolves before its sockets close, and the drop that follows terminates
    // them (57P01): that error lands on the pool, which must listen or the test process throws.
    pool.on('error', () => undefined);
    const cfg = slack.slackConfig();
    env = {
      ...fakes.env,
      SLACK_BOT_TOKEN: cfg.botToken,
      SLACK_APP_TOKEN: cfg.appToken ?? '',
      SLACK_API_URL: cfg.apiUrl ?? '',
      ADGEN_DATABASE_URL: pgDb.url,
      ADGEN_LEASE_TTL_MS: String(LEASE_TTL_MS),
      ADGEN_WORKER_CONCURRENCY: '2',
      ADGEN_SHUTDOWN_GRACE_MS: '300',
    };
    await startGateway();
    startWorker();
    startWorker();
  }, 120_000);
  afterAll(async () => {
    procs.cleanup();
    for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
    await slack.stop();
    await fakes.close();
    await pool.end();
    await pgDb.drop();
  });

  it('makes a full ad: the free preview of the storyboard, then one video in the thread', async () => {
    const { root, moods, inThread } = await driveToStoryboard(slack, 'U0ANA', 'folding e-bike', 90_000);
    await slack.click('U0ANA', moods[0]!, 'mood.select');
    const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 90_000);
    // The storyboard's job makes the free preview on a worker, and the thread gets it.
    const preview = await slack.waitFor(
      () => slack.uploads.find((f) => f.thread_ts === root.ts && f.filename.includes('preview')),
      'the free preview',
      60_000,
    );
    expect(Math.abs((await probeMedia(preview.path)).durationS - 30)).toBeLessThan(0.5);
    await slack.click('U0ANA', board, 'storyboard.approve');
    const video = await slack.waitFor(() => mp4s(root.ts)[0], 'video', 120_000);
    expect(Math.abs((await probeMedia(video.path)).durationS - 30)).toBeLessThan(0.3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mp4s(root.ts)).toHaveLength(1);
    const previews = slack.uploads.filter((f) => f.thread_ts === root.ts && f.filename.includes('preview'));
    expect(previews.map((f) => f.filename)).toEqual([preview.filename]);
    await paidOnce();
  }, 300_000);

  it('a worker SIGKILLed mid-clips: the other finishes within the lease expiry, paying nothing twice', async () => {
    const root = await approveAndWaitForClips('U0BEN', 'noise-cancelling earbuds');
    const runId = await runOf(root.ts);
    const pid = await leaseOwnerPid(runId);
    const holder = workers.find((w) => w.pid === pid);
    expect(holder, `lease holder pid ${pid}`).toBeDefined();
    await procs.kill(holder!);
    const killedAt = Date.now();
    await until(
      async () => ((await leaseOwnerPid(runId)) ?? pid) !== pid,
      60_000,
      'the other worker to take the run',
    );
    const takeoverMs = Date.now() - killedAt;
    const video = await slack.waitFor(() => mp4s(root.ts)[0], 'video', 120_000);
    const doneMs = Date.now() - killedAt;
    console.log(`crash takeover: lease taken ${takeoverMs} ms after SIGKILL, video ${doneMs} ms after`);
    expect(takeoverMs).toBeLessThan(LEASE_TTL_MS + 5000);
    expect(Math.abs((await probeMedia(video.path)).durationS - 30)).toBeLessThan(0.3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mp4s(root.ts)).toHaveLength(1);
    await paidOnce();
    startWorker(); // two live workers again for the next tests
  }, 300_000);

  it('a ❌ handled by any worker stops the render running on another one', async () => {
    // Clip creates answered only after 10 s: a render left to run would hold the run that long.
    const root = await approveAndWaitForClips('U0EVE', 'standing desk', 10_000);
    const runId = await runOf(root.ts);
    await slack.react('U0EVE', root.ts, 'x');
    // ❌ on a paid render asks first (privately, a "Yes, cancel" button); the clock starts at the yes.
    const ask = await slack.waitFor(
      () =>
        slack.ephemerals.find(
          (e) => e.user === 'U0EVE' && JSON.stringify(e.blocks ?? []).includes('job.cancel'),
        ),
      'confirmation question',
      30_000,
    );
    await slack.clickEphemeral('U0EVE', ask, 'job.cancel');
    const t0 = Date.now();
    await until(
      async () => {
        const [row] = await query<{ status: string; owner: string | null }>(
          'select status, lease_owner as owner from runs where id = $1',
          [runId],
        );
        return row?.status === 'cancelled' && row.owner === null; // the render let go of the run
      },
      30_000,
      'the render to stop',
    );
    const stopMs = Date.now() - t0;
    console.log(`cancel: the render let go ${stopMs} ms after the ❌`);
    // How fast is a figure for the notes, not a test property on a shared CI machine (it was 1.9 s
    // quiet, 13 s under load); what must hold: the run lets go, no video, nothing more is paid.
    const creates = fakes.replicate.stats.creates;
    await new Promise((r) => setTimeout(r, 3000));
    expect(mp4s(root.ts)).toHaveLength(0);
    expect(fakes.replicate.stats.creates).toBe(creates); // nothing more is paid for
    // The clip creates in flight when it stopped were let finish: each is on record (its cost
    // counted) and cancelled at the provider, so none bills on unseen.
    await paidOnce();
    const [{ ids }] = (await query<{ ids: string[] }>(
      'select coalesce(array_agg(provider_id), array[]::text[]) as ids from predictions where run_id = $1',
      [runId],
    )) as [{ ids: string[] }];
    const live = ids.filter((id) => ['starting', 'processing'].includes(fakes.replicate.statusOf(id) ?? ''));
    expect(live).toEqual([]);
  }, 300_000);

  it('two gateways receiving the same event deliver it once', async () => {
    await startGateway();
    const roots = () =>
      slack.messages.filter((m) => m.bot && !m.thread_ts && m.text.includes('New video ad'));
    const before = roots().length;
    const envelope = await slack.slashCommand('U0CAT', 'reusable water bottle');
    const copies = await slack.fanOut(envelope);
    expect(copies.length).toBeGreaterThanOrEqual(1); // the other gateway got it too
    await slack.waitFor(() => roots().length > before, 'root message', 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(roots().length - before).toBe(1);
  }, 120_000);

  it('a worker SIGTERMed during a render hands it back: lease released, one video, nothing paid twice', async () => {
    const root = await approveAndWaitForClips('U0DAN', 'trail running shoes');
    const runId = await runOf(root.ts);
    const pid = await leaseOwnerPid(runId);
    const holder = workers.find((w) => w.pid === pid && w.exitCode === null);
    expect(holder, `lease holder pid ${pid}`).toBeDefined();
    const exited = new Promise<number | null>((r) => holder!.once('exit', (code) => r(code)));
    const t0 = Date.now();
    holder!.kill('SIGTERM');
    expect(await exited).toBe(0);
    const exitMs = Date.now() - t0;
    // Handed back: released at once, not left to expire.
    expect(await leaseOwnerPid(runId)).not.toBe(pid);
    const video = await slack.waitFor(() => mp4s(root.ts)[0], 'video', 120_000);
    console.log(`hand-back: worker exited ${exitMs} ms after SIGTERM, video ${Date.now() - t0} ms after`);
    expect(exitMs).toBeLessThan(10_000);
    expect(Math.abs((await probeMedia(video.path)).durationS - 30)).toBeLessThan(0.3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(mp4s(root.ts)).toHaveLength(1);
    await paidOnce();
  }, 300_000);
});
