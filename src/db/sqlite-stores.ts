import { brandOps } from './brand-store.ts';
import type { Db } from './client.ts';
import { decisionOps } from './decision-store.ts';
import { deliveryOps } from './delivery-store.ts';
import { intentOps } from './intent-store.ts';
import { leaseOps } from './lease-store.ts';
import type { Stores } from './ports.ts';
import { runOps } from './run-store.ts';
import { spendOps } from './spend-store.ts';
import { stepOps } from './step-store.ts';
import { threadOps } from './thread-store.ts';
import { bindTx, port, serialisedUnit } from './unit.ts';

/**
 * All store ports over one better-sqlite3 connection. better-sqlite3 is synchronous and a process
 * has one connection, so a transaction is BEGIN IMMEDIATE … COMMIT on that connection with every
 * other call of this process queued behind it (unit.ts). IMMEDIATE takes SQLite's write lock at
 * the start, so a second process waits (busy_timeout) instead of failing half-way with BUSY.
 */
export function createSqliteStores(db: Db): Stores {
  const sqlite = db.$client;
  const unit = serialisedUnit(db, {
    begin: () => sqlite.exec('BEGIN IMMEDIATE'),
    commit: () => sqlite.exec('COMMIT'),
    // A failed COMMIT (or a statement error) may already have ended the transaction.
    rollback: () => sqlite.inTransaction && sqlite.exec('ROLLBACK'),
  });
  return {
    runs: port(unit, runOps),
    steps: port(unit, stepOps, (c, live) => ({ runs: bindTx(runOps(c), live) })),
    decisions: port(unit, decisionOps),
    intents: port(unit, intentOps),
    leases: port(unit, leaseOps),
    deliveries: port(unit, deliveryOps),
    threads: port(unit, threadOps),
    brands: port(unit, brandOps),
    spend: port(unit, spendOps),
  };
}
