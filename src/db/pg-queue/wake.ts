import type pg from 'pg';
import { z } from 'zod';

/** What a run job carries; read back from the database, so parsed like any other input. */
export const RunJobSchema = z.object({ runId: z.string().min(1).max(200) });
export type RunJobData = z.infer<typeof RunJobSchema>;

/**
 * pg-boss 10 workers poll (500 ms at the fastest). A NOTIFY after each publish wakes the idle
 * workers of that queue in every process at once, so a job is picked up in milliseconds; the
 * polling stays as the fallback when a notification is lost (a reconnecting listener), so it can
 * be slow (POLL_S). A job failed for a retry becomes runnable later (pg-boss's retryDelay) with
 * no publish to notify: `notifyAfter` wakes the workers when it does.
 */
export const POLL_S = 2;
export async function wakeUps(pool: pg.Pool, schema: string, onError: (err: unknown) => void) {
  const channel = `${schema}_wake`;
  const byQueue = new Map<string, { id: string; notify: (id: string) => void }[]>();
  let listener: pg.PoolClient | undefined = await pool.connect();
  listener.on('notification', (msg) => {
    for (const w of byQueue.get(msg.payload ?? '') ?? []) w.notify(w.id);
  });
  listener.on('error', onError);
  await listener.query(`LISTEN ${channel}`);
  return {
    register(queue: string, notify: (id: string) => void, id: string) {
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), { id, notify }]);
    },
    async notify(queue: string) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, queue]);
    },
    notifyAfter(queue: string, ms: number) {
      const timer = setTimeout(() => {
        if (listener) pool.query('SELECT pg_notify($1, $2)', [channel, queue]).catch(onError);
      }, ms);
      timer.unref();
    },
    async close() {
      const l = listener;
      listener = undefined;
      if (!l) return;
      await l.query(`UNLISTEN ${channel}`).catch(() => undefined);
      l.release();
    },
  };
}
