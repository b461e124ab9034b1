import { AppError } from '../errors.ts';
import type { LeaseStore } from '../pipeline/lease.ts';
import type { Db } from './client.ts';

/**
 * SQLite implementation of the LeaseStore port. Each operation is ONE conditional UPDATE, so
 * two processes racing for a run cannot both win: SQLite serialises writers (WAL, and
 * busy_timeout makes the loser wait its turn instead of failing), and the loser's WHERE no
 * longer matches once the winner's row is written.
 */
export function createLeaseStore(db: Db): LeaseStore {
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
  return {
    async acquire(runId, owner, ttlMs, nowMs) {
      if (take.run({ runId, owner, expires: nowMs + ttlMs, now: nowMs }).changes === 1) return null;
      const row = holder.get({ runId });
      if (!row) throw new AppError('run_not_found', `no run with id ${runId}`);
      // Released between our UPDATE and this read: report it as just expiring, the caller retries.
      return { owner: row.owner ?? 'nobody', expiresAt: row.expiresAt ?? nowMs };
    },
    async renew(runId, owner, ttlMs, nowMs) {
      return renew.run({ runId, owner, expires: nowMs + ttlMs }).changes === 1;
    },
    async release(runId, owner) {
      release.run({ runId, owner });
    },
  };
}
