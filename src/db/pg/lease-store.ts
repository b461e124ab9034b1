import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import type { LeaseMethods } from '../../pipeline/lease.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { runs } from './schema.ts';

/**
 * PostgreSQL implementation of the LeaseStore port: each operation is ONE conditional UPDATE.
 * Two sessions racing for a run: the second UPDATE waits for the first one's row lock and then
 * re-checks its WHERE against the row the first one committed (READ COMMITTED re-evaluation), so
 * it no longer matches and exactly one wins, as with SQLite's single writer.
 */
export function pgLeaseOps(db: PgConn): Ops<LeaseMethods> {
  return {
    async acquire(runId, owner, ttlMs, nowMs) {
      const taken = await db
        .update(runs)
        .set({ leaseOwner: owner, leaseExpiresAt: nowMs + ttlMs })
        .where(
          and(
            eq(runs.id, runId),
            or(isNull(runs.leaseOwner), eq(runs.leaseOwner, owner), lte(runs.leaseExpiresAt, nowMs)),
          ),
        )
        .returning({ id: runs.id });
      if (taken.length === 1) return null;
      const [row] = await db
        .select({ owner: runs.leaseOwner, expiresAt: runs.leaseExpiresAt })
        .from(runs)
        .where(eq(runs.id, runId));
      if (!row) throw new AppError('run_not_found', `no run with id ${runId}`);
      // Released between our UPDATE and this read: report it as just expiring, the caller retries.
      return { owner: row.owner ?? 'nobody', expiresAt: row.expiresAt ?? nowMs };
    },
    async renew(runId, owner, ttlMs, nowMs) {
      const renewed = await db
        .update(runs)
        .set({ leaseExpiresAt: nowMs + ttlMs })
        .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner)))
        .returning({ id: runs.id });
      return renewed.length === 1;
    },
    async release(runId, owner) {
      await db
        .update(runs)
        .set({ leaseOwner: null, leaseExpiresAt: null })
        .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner)));
    },
  };
}
