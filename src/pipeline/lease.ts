import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { AppError } from '../errors.ts';
import { sleep } from './engine.ts';
import type { Transactional } from './stores.ts';

/**
 * Run leases (ARCHITECTURE.md "Leases"): a process works a run only while it holds the run's
 * lease, an owner id plus an expiry it keeps renewing. Another process takes the run over only
 * once the expiry has passed, so a crashed owner blocks its runs for at most one TTL and two
 * live processes never both pay for the same run.
 */
export interface LeaseHolder {
  owner: string;
  expiresAt: number;
}

export interface LeaseMethods {
  /** Takes the lease when free, expired or already ours; otherwise says who holds it. */
  acquire(runId: string, owner: string, ttlMs: number, nowMs: number): Promise<LeaseHolder | null>;
  /** Pushes our expiry out; false when the lease is no longer ours. */
  renew(runId: string, owner: string, ttlMs: number, nowMs: number): Promise<boolean>;
  release(runId: string, owner: string): Promise<void>;
}

export type LeaseStore = LeaseMethods & Transactional<LeaseMethods>;

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

export class LeaseHeldError extends AppError {
  constructor(
    readonly runId: string,
    readonly holder: LeaseHolder,
  ) {
    super(
      'lease_held',
      `run ${runId} is being worked by ${holder.owner} until ${clock(holder.expiresAt)} UTC ` +
        '(renewed while it works; a crashed process lets go then)',
    );
    this.name = 'LeaseHeldError';
  }
}

/** Our lease was taken over (we stalled past the expiry): stop before doing anything else. */
export class LeaseLostError extends AppError {
  constructor(readonly runId: string) {
    super('lease_lost', `another process took over run ${runId}; this one stopped working on it`);
    this.name = 'LeaseLostError';
  }
}

export interface LeaseOptions {
  ttlMs: number;
  renewMs: number;
  owner?: string;
  now?: () => number;
}

export const processOwnerId = () => `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

interface Held {
  users: number;
  lost: AbortController;
  released: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * `withLease(runId, work)`: works the run while holding its lease, renewed in the background.
 * Re-entrant within one process (the CLI holds it across phases, each phase takes it again).
 * `work` gets a signal that aborts if renewal finds the lease gone.
 */
export function createLeases(store: LeaseStore, opts: LeaseOptions) {
  const owner = opts.owner ?? processOwnerId();
  const now = opts.now ?? Date.now;
  /** Per run, the one entry every caller in this process shares (set before the first await). */
  const held = new Map<string, Promise<Held>>();

  async function acquire(runId: string, wait: boolean, signal?: AbortSignal): Promise<Held> {
    for (;;) {
      const holder = await store.acquire(runId, owner, opts.ttlMs, now());
      if (!holder) break;
      if (!wait) throw new LeaseHeldError(runId, holder);
      // Retry just after the holder's expiry: by then it has either renewed (wait again) or gone.
      await sleep(Math.max(50, holder.expiresAt - now() + 50), signal);
    }
    const entry: Held = { users: 0, lost: new AbortController(), released: false };
    entry.timer = setInterval(() => {
      store.renew(runId, owner, opts.ttlMs, now()).then(
        (ok) => ok || entry.lost.abort(new LeaseLostError(runId)),
        () => undefined, // a busy database: the next tick comes well before the expiry
      );
    }, opts.renewMs);
    entry.timer.unref();
    return entry;
  }

  async function withLease<T>(
    runId: string,
    work: (lost: AbortSignal) => Promise<T>,
    o: { wait?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    let entry: Held;
    do {
      let pending = held.get(runId);
      if (!pending) {
        pending = acquire(runId, o.wait ?? false, o.signal);
        held.set(runId, pending);
        pending.catch(() => held.delete(runId));
      }
      entry = await pending;
    } while (entry.released); // the last user let go while we were joining: take it afresh
    entry.users++;
    try {
      // Work that finished is kept even if the lease went at the last moment: nothing is left to stop.
      return await work(entry.lost.signal);
    } catch (err) {
      if (entry.lost.signal.aborted) throw new LeaseLostError(runId);
      throw err;
    } finally {
      if (--entry.users === 0) {
        entry.released = true;
        clearInterval(entry.timer);
        held.delete(runId);
        if (!entry.lost.signal.aborted) await store.release(runId, owner).catch(() => undefined);
      }
    }
  }

  /**
   * Gives the run back at shutdown: its work is stopped as if the lease were lost (steps and the
   * run row stay as they are) and the lease is released at once, so another worker need not
   * wait out the TTL.
   */
  async function handBack(runId: string): Promise<void> {
    const entry = await held.get(runId)?.catch(() => undefined);
    if (!entry || entry.released || entry.lost.signal.aborted) return;
    clearInterval(entry.timer);
    entry.lost.abort(new LeaseLostError(runId));
    await store.release(runId, owner).catch(() => undefined);
  }

  return { owner, withLease, handBack };
}

export type Leases = ReturnType<typeof createLeases>;
