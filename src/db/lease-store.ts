import { AppError } from '../errors.ts';
import type { LeaseMethods } from '../pipeline/lease.ts';
import type { Db } from './client.ts';
import type { Ops } from './unit.ts';

/**
 * SQLite implementation of the LeaseStore port. Each operation is ONE conditional UPDATE, so
 * two processes racing for a run cannot both win: SQLite serialises writers (WAL, and
 * busy_timeout makes the loser wait its turn instead of failing), and the loser's WHERE no
 * longer matches once the winner's row is written.
 */
export function leaseOps(db: Db): Ops<LeaseMethods> {
  // Prepared on first use: ops are built before a connection is at hand (unit.ts `port`).
  let prepared: ReturnType<typeof prepare> | undefined;
  const stmts = () => (prepared ??= prepare(db));
  return {
    acquire(runId, owner, ttlMs, nowMs) {
      const { take, holder } = stmts();
      if (take.run({ runId, owner, expires: nowMs + ttlMs, now: nowMs }).changes === 1) return null;
      const row = holder.get({ runId });
      if (!row) throw new AppError('run_not_found', `no run with id ${runId}`);
      // Released between our UPDATE and this read: report it as just expiring, the caller retries.
      return { owner: row.owner ?? 'nobody', expiresAt: row.expiresAt ?? nowMs };
    },
    renew(runId, owner, ttlMs, nowMs) {
      return stmts().renew.run({ runId, owner, expires: nowMs + ttlMs }).changes === 1;
    },
    release(runId, owner) {
      stmts().release.run({ runId, owner });
    },
  };
}

function prepare(db: Db) {
  const sqlite = db.$client;
  const take = sqlite.prepare(
    `UPDATE runs SET lease_owner = @owner, lease_expires_at = @expires
     WHERE id = @runId AND (lease_owner IS NULL OR lease_owner = @owner OR lease_expires_at <= @now)`,
  );
  const renew = sqlite.prepare(
    'UPDATE runs SET lease_expires_at = @expires WHERE id = @runId AND lease_owner = @owner',
  );
  const release = sqlite.prepare(
    'UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = @runId AND lease_owner = @owner',
  );
  const holder = sqlite.prepare<{ runId: string }, { owner: string | null; expiresAt: number | null }>(
    'SELECT lease_owner AS owner, lease_expires_at AS expiresAt FROM runs WHERE id = @runId',
  );
  return { take, renew, release, holder };
}
