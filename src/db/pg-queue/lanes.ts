import type pg from 'pg';

/**
 * Chat events in per-thread lanes on PostgreSQL: why not pg-boss's own singleton policy?
 * In pg-boss 10 a `singleton` queue allows one ACTIVE job per key through a unique index, and
 * the fetch takes the oldest job before checking it: when the head job's thread is busy the
 * fetch fails on that index and every other thread's events wait behind it. So events are rows
 * here (`chat_events`, ordered by id per lane), and pg-boss only carries "drain lane K" jobs
 * (retries, dead workers). A drainer holds a session advisory lock on K while it handles the
 * lane's pending rows in order; PostgreSQL frees the lock when a killed worker's connection
 * drops, and the next drain (or the reaper) carries on from the first row not marked done.
 */
export const MAX_EVENT_ATTEMPTS = 3;

export function lanesSql(schema: string) {
  const t = `${schema}.chat_events`;
  return {
    create: [
      `CREATE SCHEMA IF NOT EXISTS ${schema}`,
      `CREATE TABLE IF NOT EXISTS ${t} (
        id bigserial PRIMARY KEY,
        lane text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts int NOT NULL DEFAULT 0,
        done_at timestamptz,
        error text
      )`,
      `CREATE INDEX IF NOT EXISTS chat_events_pending ON ${t} (lane, id) WHERE done_at IS NULL`,
    ],
    insert: `INSERT INTO ${t} (lane, payload) VALUES ($1, $2) RETURNING id`,
    next: `SELECT id, payload, attempts, extract(epoch from created_at) * 1000 AS created_ms
             FROM ${t} WHERE lane = $1 AND done_at IS NULL ORDER BY id LIMIT 1`,
    attempt: `UPDATE ${t} SET attempts = attempts + 1 WHERE id = $1`,
    done: `UPDATE ${t} SET done_at = now(), error = $2 WHERE id = $1`,
    /** Lanes with an event older than $1 ms still pending: their drainer may have died. */
    stale: `SELECT DISTINCT lane FROM ${t}
             WHERE done_at IS NULL AND created_at < now() - ($1::int * interval '1 millisecond')`,
    pending: `SELECT count(*)::int AS n FROM ${t} WHERE done_at IS NULL`,
    prune: `DELETE FROM ${t} WHERE done_at < now() - interval '1 day'`,
    // hashtextextended: a 64-bit key per lane; a collision only serialises two lanes, never mixes them.
    tryLock: 'SELECT pg_try_advisory_lock(hashtextextended($1, 7)) AS ok',
    unlock: 'SELECT pg_advisory_unlock(hashtextextended($1, 7))',
  };
}

export type LaneSql = ReturnType<typeof lanesSql>;

/**
 * Handles the pending events of `lane` in order while holding its lock. Returns false at once
 * when another process holds the lane (it will see our event: it re-checks after letting go).
 */
export async function drainLane(
  pool: pg.Pool,
  sql: LaneSql,
  lane: string,
  handle: (payload: unknown, createdMs: number) => Promise<void>,
  onError: (err: unknown) => void,
): Promise<boolean> {
  const client = await pool.connect();
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(sql.tryLock, [lane]);
      if (!rows[0]?.ok) return false;
      try {
        for (;;) {
          const next = await client.query<{
            id: string;
            payload: unknown;
            attempts: number;
            created_ms: number;
          }>(sql.next, [lane]);
          const row = next.rows[0];
          if (!row) break;
          if (row.attempts >= MAX_EVENT_ATTEMPTS) {
            // A poison event must not block its thread forever: set aside, kept for a day to read.
            await client.query(sql.done, [row.id, 'gave up after repeated failures']);
            continue;
          }
          await client.query(sql.attempt, [row.id]);
          try {
            await handle(row.payload, Number(row.created_ms));
            await client.query(sql.done, [row.id, null]);
          } catch (err) {
            onError(err);
            throw err;
          }
        }
      } finally {
        await client.query(sql.unlock, [lane]);
      }
      // An event published while we held the lock found it taken and left it to us: look again.
      const again = await client.query(sql.next, [lane]);
      if (again.rows.length === 0) return true;
    }
  } finally {
    client.release();
  }
}
