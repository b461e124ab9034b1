import type pg from 'pg';
import type { LaneSql } from './lanes.ts';

/**
 * Gives the work of a dead worker to a live one within about one lease TTL. pg-boss alone would
 * wait for the job's expiry (hours for a render). Each tick, one process (an advisory lock
 * picks it) looks at run jobs active for longer than a lease TTL whose run nobody holds the lease
 * of, and fails them back into the queue (pg-boss retries them); and at lanes with old pending
 * events but no drainer, and publishes a drain for them. A job handed back by mistake (its worker
 * was between two phases) only costs a memoised replay: the lease still decides who works. A job
 * is handed back only when its lease was free at an earlier tick too: a worker that has just
 * finished a phase releases the lease a moment before pg-boss marks its job complete, and a
 * single look there handed back a live job (8 of 20 renders in a bench:scale smoke run).
 * Reads pg-boss's own `job` table (version pinned in package.json): its API has no such query.
 */
export function createReaper(o: {
  pool: pg.Pool;
  schema: string;
  sql: LaneSql;
  everyMs: number;
  staleMs: number;
  runQueues: string[];
  leaseFree(runId: string): Promise<boolean>;
  failJob(queue: string, id: string): Promise<void>;
  publishLane(lane: string): Promise<void>;
  onError(err: unknown): void;
}) {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  /** Stale jobs whose lease this process found free at its last look, by job id. */
  let suspects = new Set<string>();

  async function tick() {
    const client = await o.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 7)) AS ok',
        ['adgen-queue-reaper'],
      );
      if (!lock.rows[0]?.ok) return;
      const jobs = await client.query<{ id: string; name: string; run_id: string }>(
        `SELECT id, name, data->>'runId' AS run_id FROM ${o.schema}.job
          WHERE state = 'active' AND name = ANY($1)
            AND started_on < now() - ($2::int * interval '1 millisecond')`,
        [o.runQueues, o.staleMs],
      );
      const free = new Set<string>();
      for (const j of jobs.rows) {
        if (!j.run_id || !(await o.leaseFree(j.run_id))) continue;
        if (suspects.has(j.id)) await o.failJob(j.name, j.id);
        else free.add(j.id);
      }
      suspects = free;
      const lanes = await client.query<{ lane: string }>(o.sql.stale, [o.staleMs]);
      for (const { lane } of lanes.rows) {
        const free = await client.query<{ ok: boolean }>(o.sql.tryLock, [lane]);
        if (!free.rows[0]?.ok) continue; // a live drainer has it
        await client.query(o.sql.unlock, [lane]);
        await o.publishLane(lane);
      }
      await client.query(o.sql.prune);
    } finally {
      await client.query('COMMIT').catch(() => undefined);
      client.release();
    }
  }

  return {
    start() {
      timer ??= setInterval(() => {
        if (busy) return;
        busy = true;
        tick()
          .catch(o.onError)
          .finally(() => {
            busy = false;
          });
      }, o.everyMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}
