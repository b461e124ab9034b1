/**
 * bench:scale — throughput of scaled-out workers (issue 11). 40 ads, each driven through the
 * fake Slack like a person would (brief, mood, approve), with the fake Replicate answering every
 * image, clip and music prediction after a fixed 2 s and the tiny profile, all started at once,
 * polled the way the product polls (POLLING below).
 * Runs: the SQLite single process (`adgen bot`), then one gateway + 1, 2 and 4 `adgen worker`
 * processes on PostgreSQL, each worker with ADGEN_WORKER_CONCURRENCY=2 (so w1 is bounded by its
 * slots: that is the comparison). Prints per setup: wall time, throughput (ads/min), CPU-seconds
 * per ad (gateway or bot, workers with their ffmpeg children and of that node itself, every
 * postgres process on the machine, this process's fakes; /proc) and the share of the cores used,
 * the load average; for PostgreSQL the run jobs' (moods, storyboard, render, deliver; not chat
 * lanes) waits from pg-boss's rows, split the way queue people split them:
 * - pick-up latency: from a job being runnable (queued, or its retry's start_after) AND a slot of
 *   its queue being free, to a worker starting it (polling, wake-ups, busy event loops);
 * - waiting for a slot: the time it was runnable while every slot of its queue was busy
 *   (queueing delay, printed apart, not hidden). See scale-stats.ts: splitWaits.
 * and how long a job of each queue holds its slot. The `scale-bench …` line comes last;
 * pickup_p99_ms is the pick-up latency above over all three PostgreSQL setups.
 * Needs ADGEN_TEST_DATABASE_URL (or the cluster of scripts/pg-test-cluster.sh on port 55432).
 * Smoke runs: BENCH_ADS=4 BENCH_SETUPS=w1 (the line then says `na` for what did not run).
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasAction } from '../e2e/slack-flow.ts';
import { type FakeMessage, FakeSlack } from '../fakes/slack.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { startFakes } from '../helpers/fakes.ts';
import { freshPgDatabase } from '../helpers/pg.ts';
import { runJobTimes, slotHolds, slotsOf } from './scale-jobs.ts';
import { pct, postgresCpuS, processCpuS, splitWaits } from './scale-stats.ts';

const ADS = Number(process.env.BENCH_ADS ?? 40);
/** Setups to run (smoke runs: e.g. `BENCH_SETUPS=w1`); the scale-bench line needs all four. */
const SETUPS = (process.env.BENCH_SETUPS ?? 'sqlite,w1,w2,w4').split(',');
const CONCURRENCY = 2;
const LATENCY_MS = 2000;
/**
 * The product's own Replicate polling (config-providers.ts: gaps of 5% of the time waited, within
 * 500 ms .. 5 s), not the test helpers' 10-100 ms: at 2 s latency those make ~65 GETs of each
 * prediction (~1,500 an ad), CPU a deployment never spends. BENCH_POLL=fast keeps the helpers'.
 */
const POLLING: Record<string, string> =
  process.env.BENCH_POLL === 'fast' ? {} : { REPLICATE_POLL_MIN_MS: '500', REPLICATE_POLL_MAX_MS: '5000' };
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
    () =>
      slack.uploads.find(
        (f) => f.thread_ts === root.ts && f.filename.endsWith('.mp4') && !f.filename.includes('preview'),
      ),
    'video',
    900_000,
  );
}

async function setup(workers: number | 'sqlite') {
  const slack = await FakeSlack.start({ pollMs: 50 });
  const procs = botProcesses('adgen-bench-scale-');
  const cfg = slack.slackConfig();
  const env: Record<string, string> = {
    ...fakes.env,
    SLACK_BOT_TOKEN: cfg.botToken,
    SLACK_APP_TOKEN: cfg.appToken ?? '',
    SLACK_API_URL: cfg.apiUrl ?? '',
    ADGEN_WORKER_CONCURRENCY: String(CONCURRENCY),
    ADGEN_LEASE_TTL_MS: '10000',
    ...POLLING,
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
    /** CPU-seconds so far of the gateway (or bot) and of the workers, ffmpeg children included. */
    cpu() {
      const [front, ...rest] = children.map((c) => processCpuS(c.pid ?? 0));
      const node = children.slice(1).map((c) => processCpuS(c.pid ?? 0, false));
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      return { front: front ?? 0, workers: sum(rest), workersNode: sum(node) };
    },
    async close() {
      procs.cleanup();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
      await slack.stop();
      if (process.env.BENCH_KEEP_DB) console.log(`kept database ${db?.url ?? '(none)'}`);
      else await db?.drop();
    },
  };
}

const ms = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(0)} ms p99 ${pct(xs, 99).toFixed(0)} ms`;
const benchStart = Date.now();
const results: Record<string, number> = {};
const allPickups: number[] = [];
for (const label of SETUPS) {
  const workers = label === 'sqlite' ? 'sqlite' : Number(label.replace(/^w/, ''));
  const s = await setup(workers);
  const t0 = Date.now();
  const cpu0 = { bench: process.cpuUsage(), pg: postgresCpuS(), procs: s.cpu() };
  try {
    await Promise.all(Array.from({ length: ADS }, (_, n) => oneAd(s.slack, n)));
  } catch (err) {
    await s.close(); // never leave gateway and worker processes behind
    throw err;
  }
  const wallS = (Date.now() - t0) / 1000;
  const procs = s.cpu();
  const benchCpu = process.cpuUsage(cpu0.bench);
  const cpu = {
    front: procs.front - cpu0.procs.front,
    workers: procs.workers - cpu0.procs.workers,
    workersNode: procs.workersNode - cpu0.procs.workersNode,
    pg: postgresCpuS() - cpu0.pg,
    fakes: (benchCpu.user + benchCpu.system) / 1e6,
  };
  const total = cpu.front + cpu.workers + cpu.pg + cpu.fakes;
  results[label] = wallS;
  const front = workers === 'sqlite' ? 'bot' : 'gateway';
  let line =
    `${label.padEnd(6)} ${ADS} ads in ${wallS.toFixed(1)} s = ${((ADS / wallS) * 60).toFixed(1)} ads/min · ` +
    `CPU-s per ad ${(total / ADS).toFixed(2)} (${front} ${(cpu.front / ADS).toFixed(2)}, workers ` +
    `${(cpu.workers / ADS).toFixed(2)} of which node ${(cpu.workersNode / ADS).toFixed(2)}, postgres ${(cpu.pg / ADS).toFixed(2)}, fakes ${(cpu.fakes / ADS).toFixed(2)}) ` +
    `= ${((total / wallS / os.cpus().length) * 100).toFixed(0)}% of ${os.cpus().length} cores · load ${os.loadavg()[0]!.toFixed(1)}`;
  if (s.db && typeof workers === 'number') {
    const jobs = await runJobTimes(s.db.url);
    const { pickupMs, queueingMs } = splitWaits(jobs, slotsOf(workers, CONCURRENCY));
    allPickups.push(...pickupMs);
    const retried = jobs.filter((j) => (j.retries ?? 0) > 0).length;
    line += `\n       run jobs ${pickupMs.length} (${retried} retried): pick-up ${ms(pickupMs)} · waiting for a slot ${ms(queueingMs)}`;
    line += `\n       slot held per job: ${slotHolds(jobs)}`;
  }
  console.log(line);
  await s.close();
}
await fakes.close();
console.log(
  `bench:scale took ${((Date.now() - benchStart) / 60_000).toFixed(1)} min · load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const f = (x: number | undefined) => (x === undefined ? 'na' : x.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : 'na');
console.log(
  `scale-bench sqlite_s=${f(results.sqlite)} w1_s=${f(results.w1)} w2_s=${f(results.w2)} w4_s=${f(results.w4)} ` +
    `speedup_2=${ratio(results.w1, results.w2)} speedup_4=${ratio(results.w1, results.w4)} ` +
    `pickup_p99_ms=${pct(allPickups, 99).toFixed(0)}`,
);
process.exit(0);
