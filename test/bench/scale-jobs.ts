import pg from 'pg';
import type { JobTimes } from './scale-stats.ts';

/** bench:scale's reading of pg-boss's job rows (its `job` table; version pinned in package.json). */

/** Every run job's times from pg-boss's rows (moods, storyboard, render, deliver; not lanes). */
export async function runJobTimes(url: string): Promise<JobTimes[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{
      queue: string;
      runnable: number;
      started: number;
      ended: number | null;
      retries: number;
    }>(
      `SELECT name AS queue, extract(epoch from greatest(created_on, start_after)) * 1000 AS runnable,
              extract(epoch from started_on) * 1000 AS started, extract(epoch from completed_on) * 1000 AS ended, retry_count AS retries
         FROM adgen_jobs.job WHERE name LIKE 'adgen-%' AND name <> 'adgen-lane' AND started_on IS NOT NULL`,
    );
    return rows.map((r) => ({
      queue: r.queue,
      runnableMs: Number(r.runnable),
      startedMs: Number(r.started),
      endedMs: r.ended === null ? undefined : Number(r.ended),
      retries: Number(r.retries),
    }));
  } finally {
    await c.end();
  }
}

/** Slots per run queue across `workers` processes (src/db/pg-queue/boss.ts: work()). */
export const slotsOf = (workers: number, concurrency: number): Record<string, number> => ({
  'adgen-render': workers * concurrency,
  'adgen-moods': workers * Math.max(2, concurrency),
  'adgen-storyboard': workers * Math.max(2, concurrency),
  'adgen-deliver': workers * Math.max(2, concurrency),
});

/** Mean seconds a job of each queue holds its slot: what bounds w1 (one worker's slots). */
export function slotHolds(jobs: JobTimes[]): string {
  const by = new Map<string, number[]>();
  for (const j of jobs)
    if (j.endedMs !== undefined) by.set(j.queue, [...(by.get(j.queue) ?? []), j.endedMs - j.startedMs]);
  return [...by]
    .map(
      ([q, xs]) =>
        `${q.replace('adgen-', '')} ${(xs.reduce((a, b) => a + b, 0) / xs.length / 1000).toFixed(1)} s`,
    )
    .join(', ');
}
