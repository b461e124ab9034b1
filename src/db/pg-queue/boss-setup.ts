import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { RUN_JOB_KINDS, type RunJobKind } from '../../pipeline/jobs/ports.ts';

/** The queue's names, its retry and expiry settings, and its one-time set-up (boss.ts runs it). */

export const LANE_QUEUE = 'adgen-lane';
/** pg-boss's retryDelay of every job (s); a retried job is woken for just after it (wake.ts). */
export const RETRY_DELAY_S = 1;
export const RETRY_WAKE_MS = RETRY_DELAY_S * 1000 + 100;
/** Threads one process drains at once (each holds a connection of its own while it does). */
export const LANE_WORKERS = 8;
export const runQueue = (kind: RunJobKind) => `adgen-${kind}`;
/** Lanes are short (a brief turn, a click); renders may take many minutes (final profile). */
export const EXPIRE_S: Record<RunJobKind | 'lane', number> = {
  lane: 15 * 60,
  moods: 30 * 60,
  storyboard: 30 * 60,
  render: 3 * 3600,
  deliver: 30 * 60,
};

/** Schema and queues, once per database; concurrent starts of several processes are serialised. */
export async function setUp(pool: pg.Pool, boss: PgBoss, createSql: string[]) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 7))', ['adgen-queue-setup']);
    for (const s of createSql) await client.query(s);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  for (const name of [LANE_QUEUE, ...RUN_JOB_KINDS.map(runQueue)]) {
    if (await boss.getQueue(name)) continue;
    try {
      await boss.createQueue(name, { name, policy: 'short' });
    } catch (err) {
      if (!(await boss.getQueue(name))) throw err; // another process created it meanwhile: fine
    }
  }
}
