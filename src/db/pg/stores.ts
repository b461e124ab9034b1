import type { Stores } from '../ports.ts';
import { bindTx, port } from '../unit.ts';
import { migratePg, openPgPool, type PgDb, pingPg } from './client.ts';
import { pgDecisionOps } from './decision-store.ts';
import { pgDeliveryOps } from './delivery-store.ts';
import { pgIntentOps } from './intent-store.ts';
import { pgLeaseOps } from './lease-store.ts';
import { pgRunOps } from './run-store.ts';
import { pgStepOps } from './step-store.ts';
import { pgThreadOps } from './thread-store.ts';
import { pgUnit } from './unit.ts';

export interface PgStores extends Stores {
  /** Resolves once migrations/pg is applied; every store call waits for it (rejects with it). */
  ready: Promise<void>;
  /** Rejects when the database does not answer (readiness checks). */
  ping(): Promise<void>;
  /** Ends the pool: waits for checked-out clients to come back. */
  close(): Promise<void>;
  db: PgDb;
}

/**
 * The same store ports as `createSqliteStores`, on PostgreSQL. Returned at once so the
 * composition root stays synchronous; migrations run in the background and gate the first call.
 */
export function createPgStores(url: string, opts: { poolSize?: number } = {}): PgStores {
  const db = openPgPool(url, opts.poolSize);
  const ready = migratePg(db);
  // A failed migration is reported by every call that awaits `ready`; this only keeps it from
  // also being an unhandled rejection when nothing has called yet.
  ready.catch(() => {});
  const unit = pgUnit(db, ready);
  return {
    runs: port(unit, pgRunOps),
    steps: port(unit, pgStepOps, (c, live) => ({ runs: bindTx(pgRunOps(c), live) })),
    decisions: port(unit, pgDecisionOps),
    intents: port(unit, pgIntentOps),
    leases: port(unit, pgLeaseOps),
    deliveries: port(unit, pgDeliveryOps),
    threads: port(unit, pgThreadOps),
    ready,
    ping: () => pingPg(db),
    async close() {
      await ready.catch(() => {});
      await db.$client.end();
    },
    db,
  };
}
