import type { StepStore } from '../pipeline/engine.ts';
import type { LeaseStore } from '../pipeline/lease.ts';
import type { RunMethods, RunStore } from '../pipeline/stores.ts';
import type { MetricsRegistry } from './metrics.ts';

/** Seconds: sub-second queue pick-ups up to multi-minute renders. */
export const LATENCY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * adgen's series. The queue (gateway/worker) feeds jobLatency and queueDepth; the stores feed the
 * rest through `instrumentStores`, so the pipeline itself knows nothing about metrics.
 */
export function adgenMetrics(registry: MetricsRegistry) {
  return {
    rendersInFlight: registry.gauge(
      'adgen_renders_in_flight',
      'Runs this process is working right now (it holds their lease)',
    ),
    stepFailures: registry.counter(
      'adgen_step_failures_total',
      'Durable steps that failed for good (retries used up or not retryable), by error code',
      ['code'],
    ),
    spendUsd: registry.counter(
      'adgen_spend_usd_total',
      'Provider spend this process committed, in USD (the cost known when a prediction is submitted)',
    ),
    jobLatency: registry.histogram(
      'adgen_job_latency_seconds',
      'From a job being queued to a worker starting it, by queue',
      LATENCY_BUCKETS,
      ['queue'],
    ),
    queueDepth: registry.gauge('adgen_queue_depth', 'Jobs waiting to be picked up, by queue', ['queue']),
  };
}

export type AdgenMetrics = ReturnType<typeof adgenMetrics>;

/** Wraps `recordSubmit` to hand each submitted cost to `spent`. */
function countingSubmits<R extends Pick<RunMethods, 'recordSubmit'>>(
  runs: R,
  spent: (usd: number) => void,
): R {
  return {
    ...runs,
    async recordSubmit(p) {
      await runs.recordSubmit(p);
      spent(p.costUsd);
    },
  };
}

/**
 * The store ports, observed: lease takes and releases (renders in flight), final step failures
 * (by code) and submitted spend. Costs recorded inside a transaction count once it commits, so a
 * rolled-back submit is not counted.
 */
export function instrumentStores<S extends { runs: RunStore; steps: StepStore; leases: LeaseStore }>(
  stores: S,
  m: AdgenMetrics,
): S {
  const held = new Set<string>();
  const track = () => m.rendersInFlight.set({}, held.size);
  const leases: LeaseStore = {
    ...stores.leases,
    async acquire(runId, owner, ttlMs, nowMs) {
      const holder = await stores.leases.acquire(runId, owner, ttlMs, nowMs);
      if (!holder) held.add(runId);
      track();
      return holder;
    },
    async renew(runId, owner, ttlMs, nowMs) {
      const ok = await stores.leases.renew(runId, owner, ttlMs, nowMs);
      if (!ok) held.delete(runId);
      track();
      return ok;
    },
    async release(runId, owner) {
      await stores.leases.release(runId, owner);
      held.delete(runId);
      track();
    },
  };
  const spend = (usd: number) => usd > 0 && m.spendUsd.inc({}, usd);
  const steps: StepStore = {
    ...stores.steps,
    async fail(runId, stepId, f, attempts) {
      await stores.steps.fail(runId, stepId, f, attempts);
      m.stepFailures.inc({ code: f.code || 'unknown' });
    },
    async transaction(fn, opts) {
      let pending = 0;
      const result = await stores.steps.transaction(
        (tx) => fn({ ...tx, runs: countingSubmits(tx.runs, (usd) => (pending += usd)) }),
        opts,
      );
      spend(pending);
      return result;
    },
  };
  return { ...stores, runs: countingSubmits(stores.runs, spend), steps, leases };
}
