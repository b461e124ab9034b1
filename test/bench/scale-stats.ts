import fs from 'node:fs';

/**
 * The figures of bench:scale that are not wall time: where the CPU went, and the job timings
 * split the way queue people split them. Linux only (reads /proc), like the bench machine.
 */

const CLK_TCK = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)

/** utime + stime (+ the reaped children's, e.g. ffmpeg under setpriv) of one process, in s. */
export function processCpuS(pid: number, withChildren = true): number {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0; // gone meanwhile
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return (utime + stime + (withChildren ? cutime + cstime : 0)) / CLK_TCK;
}

/**
 * CPU of every `postgres` process on this machine (live backends, plus the postmaster's reaped
 * ones). The test server is shared: other work on it while the bench runs is counted too.
 */
export function postgresCpuS(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let comm = '';
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (comm === 'postgres') total += processCpuS(Number(pid));
  }
  return total;
}

export interface JobTimes {
  queue: string;
  /** When it could run: queued, or its retry's start_after (ms, the database's clock). */
  runnableMs: number;
  startedMs: number;
  /** When its slot was free again (completed or failed); absent while still running. */
  endedMs?: number;
  /**
   * Attempts before this one (pg-boss keeps only the last one's times): an earlier attempt's
   * slot time is unknown, so around retries the split can show queueing as pick-up.
   */
  retries?: number;
}

/**
 * Splits each job's wait into queueing delay (every slot of its queue was busy) and pick-up
 * latency (a slot was free and the job still waited: polling, wake-ups, a busy event loop).
 * Replays the jobs in start order over the queue's slots (`slots[queue]` across all workers):
 * each start takes the slot free soonest, and it was free from max(runnable, that slot's end).
 * A slot is never credited as free later than it really was, so pick-up is not under-counted.
 */
export function splitWaits(jobs: JobTimes[], slots: Record<string, number>) {
  const pickupMs: number[] = [];
  const queueingMs: number[] = [];
  const byQueue = new Map<string, JobTimes[]>();
  for (const j of jobs) byQueue.set(j.queue, [...(byQueue.get(j.queue) ?? []), j]);
  for (const [queue, list] of byQueue) {
    const n = slots[queue];
    if (!n) throw new Error(`no slot count for queue ${queue}`);
    const freeAt: number[] = Array.from({ length: n }, () => Number.NEGATIVE_INFINITY);
    for (const j of [...list].sort((a, b) => a.startedMs - b.startedMs)) {
      let k = 0;
      for (let i = 1; i < n; i++) if (freeAt[i]! < freeAt[k]!) k = i;
      const couldStart = Math.max(j.runnableMs, Math.min(freeAt[k]!, j.startedMs));
      queueingMs.push(Math.max(0, couldStart - j.runnableMs));
      pickupMs.push(Math.max(0, j.startedMs - couldStart));
      freeAt[k] = j.endedMs ?? Number.POSITIVE_INFINITY;
    }
  }
  return { pickupMs, queueingMs };
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : Number.NaN;
};
