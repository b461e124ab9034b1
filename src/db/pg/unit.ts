import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { createLimiter } from '../../pipeline/limit.ts';
import { Mutex, type Unit } from '../unit.ts';
import { LOCK, type PgConn, type PgDb } from './client.ts';

/**
 * Taken first in every adgen transaction; held until COMMIT or ROLLBACK. It gives PostgreSQL the
 * semantics of SQLite's BEGIN IMMEDIATE: one writing transaction at a time across every process
 * on the database, so a read-modify-write inside a transaction (a run's input, an adoption check
 * spanning two tables) cannot interleave with another's. Plain calls are single statements and
 * stay concurrent: their conditional UPDATEs (leases, cancel-is-final) are atomic on their own.
 * Why not SERIALIZABLE: its failures surface at commit and call for re-running the whole
 * transaction, and a caller's `fn` is not written to be re-run.
 * One at a time is too strict for many workers, though: each step commit, decision and spend
 * reservation took it (~70 an ad), and under one lock they queued (bench:scale, 4 workers, 8 ads:
 * held ~60% of the run, ~1.5 s wait per transaction at load ~20). A transaction with a `scope`
 * (a run id; a user and a workspace) takes the writer lock SHARED plus an exclusive lock per
 * scope: transactions of different scopes overlap, two of one scope still take turns, and an
 * unscoped one still excludes them all.
 */
const writerLock = sql`select pg_advisory_xact_lock(${LOCK.WRITER.toString()}::bigint)`;
/**
 * The shared writer lock, then each scope's, in ONE statement: a select list is evaluated left to
 * right, so the order (writer first, scopes sorted) is the same as one statement each, minus a
 * round trip per lock (~60 statements an ad of ~1,070). hashtextextended: 64 bits per scope; a
 * collision only makes two runs take turns.
 */
const scopedLocks = (scopes: readonly string[]) =>
  sql`select pg_advisory_xact_lock_shared(${LOCK.WRITER.toString()}::bigint)${sql.join(
    scopes.map((s) => sql`, pg_advisory_xact_lock(hashtextextended(${`adgen-scope:${s}`}, 7))`),
  )}`;
/** Scoped transactions of one process at once: each holds a pooled client (pool of 10 by default). */
const SCOPED_AT_ONCE = 4;

/**
 * `fn` in its own transaction under the writer lock (or, with `scope`, the shared writer lock and
 * the scope's), or in a savepoint of the caller's one. A scoped `fn` reads and writes only its
 * scope's rows. Nested in a scoped transaction, call it with a scope too: an exclusive writer lock
 * asked for under the shared one waits for every other scoped transaction (two would deadlock).
 */
export function atomically<T>(
  db: PgConn,
  fn: (tx: PgConn) => Promise<T>,
  opts: { scope?: string | readonly string[] } = {},
): Promise<T> {
  // Several scopes (a spend reservation: its user's and its workspace's) in one order everywhere.
  const scopes = opts.scope === undefined ? undefined : [...new Set([opts.scope].flat())].sort();
  return db.transaction(async (tx) => {
    await tx.execute(scopes === undefined ? writerLock : scopedLocks(scopes));
    return fn(tx as unknown as PgConn);
  });
}

/**
 * A unit over a pool: a plain call runs on any pooled client; a transaction checks ONE client
 * out for BEGIN … COMMIT (drizzle's transaction) and hands it to every `tx` method. Unscoped
 * transactions of this process also queue on a mutex, so at most one pooled client per process
 * waits for the writer lock; scoped ones are bounded by SCOPED_AT_ONCE; the rest of the pool stays
 * free for plain calls. `ready` (migrations) gates every call.
 */
export function pgUnit(db: PgDb, ready: Promise<void>): Unit<PgConn> {
  const mutex = new Mutex();
  const scoped = createLimiter(SCOPED_AT_ONCE);
  const inside = new AsyncLocalStorage<{ open: boolean }>();
  // Same rule as the SQLite unit: outside the tx, the call would not see the tx's writes and
  // could wait on its row locks, so it is refused rather than left to deadlock or misread.
  const refuseNested = () => {
    if (inside.getStore()?.open)
      throw new Error('a store was called directly inside its own transaction: use the tx it gave you');
  };
  return {
    async call(fn) {
      refuseNested();
      await ready;
      return fn(db);
    },
    transaction(fn, opts = {}) {
      refuseNested();
      const run = async () => {
        await ready;
        const scope = { open: true };
        try {
          return await atomically(db, (tx) => inside.run(scope, () => fn(tx)), opts);
        } finally {
          scope.open = false;
        }
      };
      return opts.scope === undefined ? mutex.run(run) : scoped(run);
    },
  };
}
