import { CancelledError } from '../../../errors.ts';
import { sleep } from '../../engine.ts';

export interface LimiterOptions {
  /** Predictions allowed to run at once on the account (from create to a final state). */
  maxInFlight: number;
  /** Creates allowed per window (Replicate: 600 per minute). */
  createsPerWindow: number;
  windowMs?: number;
}

export interface Slot {
  /** Idempotent: a slot is given back once however often this is called. */
  release(): void;
}

/**
 * One per Replicate account and process: every run's predictions share it, so twenty renders at
 * once stay under the account's create rate and in-flight cap. After a 429 everyone waits out the
 * Retry-After together (`pause`) instead of each request hammering the API on its own.
 */
export function createPredictionLimiter(opts: LimiterOptions) {
  const windowMs = opts.windowMs ?? 60_000;
  const createLog: number[] = [];
  /** Sorted by priority, then arrival: the oldest run's predictions get the next free slot. */
  const waiters: { grant: () => void; signal?: AbortSignal; priority: number }[] = [];
  let inFlight = 0;
  let peak = 0;
  let pausedUntil = 0;

  const take = (): Slot => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    let done = false;
    return {
      release() {
        if (done) return;
        done = true;
        inFlight--;
        // Hand the slot to the first waiter that is still interested.
        while (waiters.length > 0 && inFlight < opts.maxInFlight) {
          const w = waiters.shift()!;
          if (!w.signal?.aborted) w.grant();
        }
      },
    };
  };

  return {
    /** Waits for room under the in-flight cap; lower `priority` first, FIFO among equals. */
    acquire(signal?: AbortSignal, priority = Date.now()): Promise<Slot> {
      if (signal?.aborted) return Promise.reject(new CancelledError());
      if (inFlight < opts.maxInFlight && waiters.length === 0) return Promise.resolve(take());
      return new Promise((resolve, reject) => {
        const entry = {
          signal,
          priority,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve(take());
          },
        };
        const onAbort = () => {
          const i = waiters.indexOf(entry);
          if (i >= 0) waiters.splice(i, 1);
          reject(new CancelledError());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const at = waiters.findIndex((w) => w.priority > priority);
        waiters.splice(at < 0 ? waiters.length : at, 0, entry);
      });
    },
    /** Counts a prediction made before a restart, without waiting: it is running already. */
    adopt: (): Slot => take(),
    /** Waits until a create is allowed (rate window and any 429 pause), then books it. */
    async beforeCreate(signal?: AbortSignal): Promise<void> {
      for (;;) {
        const now = Date.now();
        if (pausedUntil > now) {
          await sleep(pausedUntil - now, signal);
          continue;
        }
        while (createLog.length > 0 && createLog[0]! <= now - windowMs) createLog.shift();
        if (createLog.length < opts.createsPerWindow) {
          createLog.push(now);
          return;
        }
        await sleep(createLog[0]! + windowMs - now, signal);
      }
    },
    /** The API said "slow down": no create from this process before `ms` have passed. */
    pause(ms: number): void {
      pausedUntil = Math.max(pausedUntil, Date.now() + ms);
    },
    stats: () => ({ inFlight, peakInFlight: peak, waiting: waiters.length }),
  };
}

export type PredictionLimiter = ReturnType<typeof createPredictionLimiter>;
