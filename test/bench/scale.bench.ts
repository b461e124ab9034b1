/**
 * bench:scale — throughput of scaled-out workers (issue 11). 40 ads, each driven through the
 * fake Slack like a person would (brief, mood, approve), with the fake Replicate answering every
 * image, clip and music prediction after a fixed 2 s and the tiny profile. Runs: the SQLite
 * single process (`adgen bot`), then one gateway + 1, 2 and 4 `adgen worker` processes on
 * PostgreSQL. Prints wall time and throughput per setup, run-job pick-up latency p50/p99 (from
 * pg-boss's job rows: queued or retry-after -> started), and the `scale-bench …` line last.
 * Needs ADGEN_TEST_DATABASE_URL (or the cluster of scripts/pg-test-cluster.sh on port 55432).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { hasAction } from '../e2e/slack-flow.ts';
import { type FakeMessage, FakeSlack } from '../fakes/slack.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { startFakes } from '../helpers/fakes.ts';
import { freshPgDatabase } from '../helpers/pg.ts';

const ADS = Number(process.env.BENCH_ADS ?? 40);
const LATENCY_MS = 2000;
const SERVER = process.env.ADGEN_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:55432/postgres';
const ANSWERS = [
  'commuters in big cities',
  'bold, upbeat',
  'neon, urban',
  'Folds fast; Fits a bag',
  'Try it free',
];

const fakes = await startFakes({ latencyMs: { image: LATENCY_MS, video: LATENCY_MS, audio: LATENCY_MS } });

/** One person's ad, start to video, in its own thread (matched by its unique idea). */
async function oneAd(slack: FakeSlack, n: number): Promise<void> {
  const user = `U0B${String(n).padStart(3, '0')}`;
  const idea = `bench product ${n}`;
  await slack.slashCommand(user, idea);
  const root = await slack.waitForMessage((m) => m.bot && !m.thread_ts && m.text.includes(idea), 600_000);
  const inThread = (pred: (m: FakeMessage) => boolean) => (m: FakeMessage) =>
    m.thread_ts === root.ts && pred(m);
  const replies = () => slack.messages.filter(inThread((m) => m.bot)).length;
  await slack.waitFor(() => replies() >= 1, 'first question', 600_000);
  for (const answer of ANSWERS) {
    const before = replies();
    await slack.say(user, root.ts, answer);
    await slack.waitFor(() => replies() > before, 'bot reply', 600_000);
  }
  await slack.click(
    user,
    await slack.waitForMessage(inThread(hasAction('brief.confirm')), 600_000),
    'brief.confirm',
  );
  await slack.waitFor(
    () => slack.messages.filter(inThread(hasAction('mood.select'))).length === 3,
    'moods',
    600_000,
  );
  await slack.click(user, slack.messages.filter(inThread(hasAction('mood.select')))[0]!, 'mood.select');
  const board = await slack.waitForMessage(inThread(hasAction('storyboard.approve')), 600_000);
  await slack.click(user, board, 'storyboard.approve');
  await slack.waitFor(
    () => slack.uploads.find((f) => f.thread_ts === root.ts && f.filename.endsWith('.mp4')),
    'video',
    900_000,
  );
}

async function setup(workers: number | 'sqlite') {
  const slack = await FakeSlack.start();
  const procs = botProcesses('adgen-bench-scale-');
  const cfg = slack.slackConfig();
  const env: Record<string, string> = {
    ...fakes.env,
    SLACK_BOT_TOKEN: cfg.botToken,
    SLACK_APP_TOKEN: cfg.appToken ?? '',
    SLACK_API_URL: cfg.apiUrl ?? '',
    ADGEN_WORKER_CONCURRENCY: '2',
    ADGEN_LEASE_TTL_MS: '10000',
  };
  const db = workers === 'sqlite' ? undefined : await freshPgDatabase(SERVER, 'bench');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const opsPorts: string[] = [];
  const connected = slack.connections;
  if (workers === 'sqlite') children.push(procs.start(env, 'bot'));
  else {
    env.ADGEN_DATABASE_URL = db!.url;
    children.push(procs.start(env, 'gateway'));
    await slack.waitFor(() => slack.connections > connected, 'gateway', 120_000);
    for (let i = 0; i < workers; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bench-worker-'));
      dirs.push(dir);
      const opsPort = String(19_400 + i);
      children.push(procs.start({ ...env, ADGEN_DATA_DIR: dir, ADGEN_OPS_PORT: opsPort }, 'worker'));
      opsPorts.push(opsPort);
    }
  }
  // The clock starts once every worker is taking jobs (its /readyz: database and queue answer).
  for (const port of opsPorts) {
    const end = Date.now() + 120_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > end) throw new Error(`worker on ops port ${port} never became ready`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await slack.waitFor(() => slack.connections > connected, 'connection', 120_000);
  await slack.waitForConnection(30_000);
  return {
    slack,
    db,
    async close() {
      procs.cleanup();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      await slack.stop();
      await db?.drop();
    },
  };
}

async function pickups(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ ms: number }>(
      `SELECT extract(epoch from (started_on - greatest(created_on, start_after))) * 1000 AS ms
         FROM adgen_jobs.job WHERE name LIKE 'adgen-%' AND name <> 'adgen-lane' AND started_on IS NOT NULL`,
    );
    return rows.map((r) => Math.max(0, Number(r.ms)));
  } finally {
    await c.end();
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};

const results: Record<string, number> = {};
const allPickups: number[] = [];
for (const workers of ['sqlite', 1, 2, 4] as const) {
  const s = await setup(workers);
  const t0 = Date.now();
  try {
    await Promise.all(Array.from({ length: ADS }, (_, n) => oneAd(s.slack, n)));
  } catch (err) {
    await s.close(); // never leave gateway and worker processes behind
    throw err;
  }
  const wallS = (Date.now() - t0) / 1000;
  const label = workers === 'sqlite' ? 'sqlite' : `w${workers}`;
  results[label] = wallS;
  let line = `${label.padEnd(6)} ${ADS} ads in ${wallS.toFixed(1)} s = ${((ADS / wallS) * 60).toFixed(1)} ads/min`;
  if (s.db) {
    const p = await pickups(s.db.url);
    allPickups.push(...p);
    line += ` · pick-up p50 ${pct(p, 50).toFixed(0)} ms p99 ${pct(p, 99).toFixed(0)} ms (${p.length} run jobs)`;
  }
  console.log(line);
  await s.close();
}
await fakes.close();
const f = (x: number) => x.toFixed(1);
console.log(
  `scale-bench sqlite_s=${f(results.sqlite!)} w1_s=${f(results.w1!)} w2_s=${f(results.w2!)} w4_s=${f(results.w4!)} ` +
    `speedup_2=${(results.w1! / results.w2!).toFixed(2)} speedup_4=${(results.w1! / results.w4!).toFixed(2)} ` +
    `pickup_p99_ms=${pct(allPickups, 99).toFixed(0)}`,
);
process.exit(0);
