import { AsyncLocalStorage } from 'node:async_hooks';
import { sql } from 'drizzle-orm';
import { Mutex, type Unit } from '../unit.ts';
import { LOCK, type PgConn, type PgDb } from './client.ts';

/**
 * Taken first in every adgen transaction; held until COMMIT or ROLLBACK. It gives PostgreSQL the
 * semantics of SQLite's BEGIN IMMEDIATE: one writing transaction at a time across every process
 * on the database, so a read-modify-write inside a transaction (a run's input, an adoption check
 * spanning two tables) cannot interleave with another's. Plain calls are single statements and
 * stay concurrent: their conditional UPDATEs (leases, cancel-is-final) are atomic on their own.
 * Why not SERIALIZABLE: its failures surface at commit and call for re-running the whole
 * transaction, and a caller's `fn` is not written to be re-run. adgen's transactions are a few
 * short statements, so one at a time costs little.
 */
const writerLock = sql`select pg_advisory_xact_lock(${LOCK.WRITER.toString()}::bigint)`;

/** `fn` in its own transaction under the writer lock, or in a savepoint of the caller's one. */
export function atomically<T>(db: PgConn, fn: (tx: PgConn) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(writerLock);
    return fn(tx as unknown as PgConn);
  });
}

/**
 * A unit over a pool: a plain call runs on any pooled client; a transaction checks ONE client
 * out for BEGIN … COMMIT (drizzle's transaction) and hands it to every `tx` method. Transactions
 * of this process also queue on a mutex, so at most one pooled client per process waits for the
 * writer lock and the others stay free for plain calls. `ready` (migrations) gates every call.
 */
export function pgUnit(db: PgDb, ready: Promise<void>): Unit<PgConn> {
  const mutex = new Mutex();
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
    transaction(fn) {
      refuseNested();
      return mutex.run(async () => {
        await ready;
        const scope = { open: true };
        try {
          return await atomically(db, (tx) => inside.run(scope, () => fn(tx)));
        } finally {
          scope.open = false;
        }
      });
    },
  };
}
