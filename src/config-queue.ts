import { int, opt } from './config-env.ts';

/** Scaling out (issue 11): the queue on PostgreSQL and the worker's limits. */
export const QUEUE_ENV = {
  /** Renders one worker process runs at once (each is 20-30 s of both cores in ffmpeg at the end). */
  ADGEN_WORKER_CONCURRENCY: opt(int(1, 64)),
  /** On SIGTERM a worker finishes its jobs for this long, then hands the rest back. */
  ADGEN_SHUTDOWN_GRACE_MS: opt(int(0, 3_600_000)),
};

/** The queue lives on ADGEN_DATABASE_URL (config.databaseUrl) with the stores: no URL of its own. */
export interface QueueConfig {
  workerConcurrency: number;
  shutdownGraceMs: number;
}

export function queueConfig(e: {
  ADGEN_WORKER_CONCURRENCY?: number;
  ADGEN_SHUTDOWN_GRACE_MS?: number;
}): QueueConfig {
  return {
    workerConcurrency: e.ADGEN_WORKER_CONCURRENCY ?? 2,
    // Below Docker's and Kubernetes' default 10 s / 30 s kill delays, with room for hand-back.
    shutdownGraceMs: e.ADGEN_SHUTDOWN_GRACE_MS ?? 8_000,
  };
}
