import { type AdgenMetrics, adgenMetrics } from './adgen-metrics.ts';
import { MetricsRegistry } from './metrics.ts';
import { Readiness } from './readiness.ts';
import { type OpsServer, startOpsServer } from './server.ts';

export type { AdgenMetrics } from './adgen-metrics.ts';
export { instrumentStores, LATENCY_BUCKETS } from './adgen-metrics.ts';
export { Counter, Gauge, Histogram, type Labels, MetricsRegistry } from './metrics.ts';
export { Readiness, type ReadinessCheck } from './readiness.ts';
export { type OpsServer, startOpsServer } from './server.ts';

/**
 * What one long-running role (bot, gateway, worker) has for operations: a metrics registry with
 * adgen's series, its readiness checks, and `listen` for the HTTP server (ADGEN_OPS_PORT).
 * Roles register their checks (`readiness.register('queue', …)`) and feed their series
 * (`metrics.queueDepth.collectWith(…)`, `metrics.jobLatency.observe(…)`).
 */
export interface Ops {
  registry: MetricsRegistry;
  metrics: AdgenMetrics;
  readiness: Readiness;
  /** Starts the HTTP server; null port (ADGEN_OPS_PORT unset) starts nothing. */
  listen(port: number | null, host?: string): Promise<OpsServer | null>;
}

export function createOps(): Ops {
  const registry = new MetricsRegistry();
  const readiness = new Readiness();
  return {
    registry,
    metrics: adgenMetrics(registry),
    readiness,
    listen: (port, host) =>
      port === null ? Promise.resolve(null) : startOpsServer({ port, host, readiness, metrics: registry }),
  };
}
