import type { Logger } from './bot/core/context.ts';
import type { Config } from './config.ts';
import { createPgJobQueue } from './db/pg-queue/boss.ts';
import type { AdgenMetrics } from './ops/index.ts';
import { createInProcessQueue } from './pipeline/jobs/in-process.ts';
import type { JobQueue } from './pipeline/jobs/ports.ts';
import { type LeaseStore, processOwnerId } from './pipeline/lease.ts';

/**
 * The job queue: pg-boss on ADGEN_DATABASE_URL (gateways and workers in many processes), else the
 * in-process one. The reaper's liveness test is the run lease: a probe takes a free or expired
 * lease for one millisecond and gives it straight back.
 */
export async function createJobQueue(
  config: Config,
  leases: LeaseStore,
  log: Logger,
  metrics?: AdgenMetrics,
): Promise<JobQueue> {
  const q = config.queue;
  const onPickup = (queue: string, ms: number) => metrics?.jobLatency.observe({ queue }, ms / 1000);
  if (!config.databaseUrl) return createInProcessQueue({ renderConcurrency: q.workerConcurrency, onPickup });
  const probe = `reaper:${processOwnerId()}`;
  return createPgJobQueue({
    url: config.databaseUrl,
    renderConcurrency: q.workerConcurrency,
    leaseTtlMs: config.leaseTtlMs,
    async leaseFree(runId) {
      if (await leases.acquire(runId, probe, 1, Date.now())) return false;
      await leases.release(runId, probe);
      return true;
    },
    onError: (err) =>
      log.warn('job queue error', { error: err instanceof Error ? err.message : String(err) }),
  });
}
