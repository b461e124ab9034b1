import pg from 'pg';
import PgBoss from 'pg-boss';
import {
  type JobHandlers,
  type JobQueue,
  keepSample,
  type QueueMetrics,
  RUN_JOB_KINDS,
  type RunJobKind,
} from '../../pipeline/jobs/ports.ts';
import { survivesServerLoss } from '../pg/client.ts';
import {
  EXPIRE_S,
  LANE_QUEUE,
  LANE_WORKERS,
  RETRY_DELAY_S,
  RETRY_WAKE_MS,
  runQueue,
  setUp,
} from './boss-setup.ts';
import { drainLane, lanesSql } from './lanes.ts';
import { createReaper } from './reaper.ts';
import { POLL_S, type RunJobData, RunJobSchema, wakeUps } from './wake.ts';

export interface PgQueueOptions {
  url: string;
  /** Renders this process runs at once (ADGEN_WORKER_CONCURRENCY). */
  renderConcurrency: number;
  /** The run lease TTL: how soon a dead worker's job is given to another one. */
  leaseTtlMs: number;
  /** True when nobody holds the run's lease now (the reaper's liveness test for a job). */
  leaseFree(runId: string): Promise<boolean>;
  onError(err: unknown): void;
  /** Each job's wait from publishing to a worker starting it (ops: adgen_job_latency_seconds). */
  onPickup?(queue: string, ms: number): void;
  schema?: string;
}

/**
 * The JobQueue on PostgreSQL with pg-boss 10 (Node 20; see docs/queue-choice.md). Run jobs are
 * pg-boss jobs with policy `short` keyed by run id (one waiting job per run and phase: a second
 * kick while one waits is absorbed). Chat events go through lanes (lanes.ts). pg-boss only
 * notices a dead worker when a job's expiry passes (hours for a render), so the reaper (reaper.ts)
 * hands a job back as soon as its run's lease has lapsed: the lease is the liveness signal.
 */
export async function createPgJobQueue(o: PgQueueOptions): Promise<JobQueue> {
  const schema = o.schema ?? 'adgen_jobs';
  const sql = lanesSql(schema);
  // Two pools: a drainer holds its connection (and the lane's lock) while its handler publishes
  // through the other one. One pool for both deadlocked as soon as every connection was a drainer.
  const pool = new pg.Pool({ connectionString: o.url, max: 6 + o.renderConcurrency * 2 });
  const lockPool = new pg.Pool({ connectionString: o.url, max: LANE_WORKERS });
  survivesServerLoss(pool, o.onError);
  survivesServerLoss(lockPool, o.onError);
  const boss = new PgBoss({ connectionString: o.url, schema, max: 4, supervise: true, schedule: false });
  boss.on('error', o.onError);
  // pg-boss 10 completes and fails jobs without awaiting (manager.js onFetch): with the database
  // gone for a moment that rejection is unhandled and Node would end the worker. Report those
  // as queue errors (the job is retried or reaped later); any other rejection still ends it.
  const fromPgBoss = (reason: unknown) => {
    if (!(reason instanceof Error) || !reason.stack?.includes('pg-boss')) throw reason;
    o.onError(reason);
  };
  process.on('unhandledRejection', fromPgBoss);
  await boss.start();
  await setUp(pool, boss, sql.create);

  const wake = await wakeUps(pool, schema, o.onError);
  const pickupMs: number[] = [];
  const active: Record<string, number> = {};
  const running = new Map<string, { controller: AbortController; queue: string; handedBack: boolean }>();
  const workerIds: string[] = [];
  let handlers: JobHandlers | undefined;
  let stopping = false;

  const bump = (k: string, by: number) => {
    active[k] = (active[k] ?? 0) + by;
  };

  async function publishLane(lane: string) {
    await boss.send(LANE_QUEUE, { lane }, { singletonKey: lane, retryLimit: 5, retryDelay: RETRY_DELAY_S });
    await wake.notify(LANE_QUEUE);
  }

  const reaper = createReaper({
    pool,
    schema,
    sql,
    everyMs: Math.max(500, Math.round(o.leaseTtlMs / 2)),
    staleMs: o.leaseTtlMs,
    runQueues: RUN_JOB_KINDS.map(runQueue),
    leaseFree: o.leaseFree,
    failJob: async (queue, id) => {
      await boss.fail(queue, id, { message: 'handed back: its worker lost the run lease' });
      wake.notifyAfter(queue, RETRY_WAKE_MS);
    },
    publishLane,
    onError: o.onError,
  });

  async function takeLane(job: PgBoss.JobWithMetadata<{ lane?: unknown }>) {
    const lane = typeof job.data.lane === 'string' ? job.data.lane : undefined;
    if (!lane || !handlers) return;
    const h = handlers;
    bump('lane', 1);
    try {
      await drainLane(
        lockPool,
        sql,
        lane,
        async (payload, createdMs) => {
          const waited = Math.max(0, Date.now() - createdMs);
          keepSample(pickupMs, waited);
          o.onPickup?.('events', waited);
          await h.event(lane, payload);
        },
        o.onError,
      ).catch((err: unknown) => {
        wake.notifyAfter(LANE_QUEUE, RETRY_WAKE_MS); // pg-boss retries the drain after its delay
        throw err;
      });
    } finally {
      bump('lane', -1);
    }
  }

  /** `slotFreeSince`: when the slot taking it finished its last job (pick-up starts there). */
  async function takeRun(kind: RunJobKind, job: PgBoss.JobWithMetadata<RunJobData>, slotFreeSince: number) {
    const data = RunJobSchema.safeParse(job.data);
    if (!data.success || !handlers) return;
    const queue = runQueue(kind);
    // Pick-up latency as queue people count it: from runnable (queued, or its retry's time) AND a
    // slot free to the start. Waiting while every slot was busy is queueing delay, not pick-up.
    const since = Math.max(job.createdOn.getTime(), job.startAfter.getTime(), slotFreeSince);
    const waited = Math.max(0, Date.now() - since);
    keepSample(pickupMs, waited);
    o.onPickup?.(kind, waited);
    const entry = { controller: new AbortController(), queue, handedBack: false };
    running.set(job.id, entry);
    bump(kind, 1);
    try {
      await handlers.run(kind, data.data.runId, entry.controller.signal);
    } catch (err) {
      if (!entry.handedBack) {
        wake.notifyAfter(queue, RETRY_WAKE_MS); // pg-boss fails it: retried after retryDelay
        throw err;
      }
    } finally {
      bump(kind, -1);
      running.delete(job.id);
    }
    // Handed back: put it up for another worker now. pg-boss's own complete() that follows only
    // touches active jobs, so it leaves this one alone.
    if (entry.handedBack) {
      await boss.fail(queue, job.id, { message: 'handed back at shutdown' });
      wake.notifyAfter(queue, RETRY_WAKE_MS); // runnable after retryDelay; unless we closed by then
    }
  }

  // Polling is the fallback only (wake.ts): at 0.5 s, 16 idle pollers per process cost a worker
  // ~1% of a core and PostgreSQL ~1.5% per worker (bench:scale, idle, 4 workers).
  const workOpts = { includeMetadata: true as const, batchSize: 1, pollingIntervalSeconds: POLL_S };
  async function spawnWorkers(
    queue: string,
    n: number,
    take: (job: PgBoss.JobWithMetadata<unknown>, slotFreeSince: number) => Promise<void>,
  ) {
    for (let i = 0; i < n; i++) {
      let freeSince = 0; // free from the start: jobs queued before it count from when they were
      const id = await boss.work<unknown>(queue, workOpts, async ([job]) => {
        if (!job) return;
        try {
          await take(job, freeSince);
        } finally {
          freeSince = Date.now();
        }
      });
      workerIds.push(id);
      wake.register(queue, (wid) => boss.notifyWorker(wid), id);
    }
  }

  return {
    durable: true,
    async publishEvent(key, payload) {
      await pool.query(sql.insert, [key, JSON.stringify(payload)]);
      await publishLane(key);
    },
    async publishRun(kind, runId) {
      await boss.send(runQueue(kind), { runId } satisfies RunJobData, {
        singletonKey: runId,
        retryLimit: 10,
        retryDelay: RETRY_DELAY_S,
        expireInSeconds: EXPIRE_S[kind],
      });
      await wake.notify(runQueue(kind));
    },
    async work(h) {
      handlers = h;
      await spawnWorkers(LANE_QUEUE, LANE_WORKERS, takeLane as never);
      for (const kind of RUN_JOB_KINDS) {
        const n = kind === 'render' ? o.renderConcurrency : Math.max(2, o.renderConcurrency);
        await spawnWorkers(runQueue(kind), n, ((job: PgBoss.JobWithMetadata<RunJobData>, free: number) =>
          takeRun(kind, job, free)) as never);
      }
      reaper.start();
    },
    async stop(graceMs) {
      if (stopping) return;
      stopping = true;
      reaper.stop();
      for (const q of [LANE_QUEUE, ...RUN_JOB_KINDS.map(runQueue)]) await boss.offWork(q);
      const end = Date.now() + graceMs;
      while (running.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      for (const entry of running.values()) {
        entry.handedBack = true;
        entry.controller.abort(new Error('shutting down: handing the job back'));
      }
      // A handler that ignores its signal must not keep the process up: pg-boss fails what is left.
      const last = Date.now() + 5000;
      while ((running.size > 0 || (active.lane ?? 0) > 0) && Date.now() < last)
        await new Promise((r) => setTimeout(r, 50));
      await wake.close();
      await boss.stop({ graceful: true, timeout: 2000, wait: true }).catch(o.onError);
      await pool.end().catch(o.onError);
      await lockPool.end().catch(o.onError);
      process.off('unhandledRejection', fromPgBoss);
    },
    async metrics(): Promise<QueueMetrics> {
      const depth: Record<string, number> = {};
      for (const kind of RUN_JOB_KINDS) depth[kind] = await boss.getQueueSize(runQueue(kind));
      depth.events = (await pool.query<{ n: number }>(sql.pending)).rows[0]?.n ?? 0;
      return { depth, active: { ...active }, pickupMs: [...pickupMs] };
    },
  };
}
