/**
 * The job queue port (issue 11). Two kinds of work travel through it:
 * - chat events, in lanes: every event of one thread (the lane key) is handled one after
 *   another, in the order it was published, even when several worker processes take jobs;
 * - run jobs: one phase of an ad's background work (moods, storyboard, render, deliver) with
 *   retries. The run lease (lease.ts) still guards each run: a job is a request to work, the
 *   lease is who may.
 * `createInProcessQueue` keeps today's single-process behaviour (SQLite, `adgen bot`);
 * `createPgJobQueue` (src/db/pg-queue) puts both on PostgreSQL with pg-boss when
 * ADGEN_DATABASE_URL is set, so gateways publish and workers on other machines take.
 */
export const RUN_JOB_KINDS = ['moods', 'storyboard', 'render', 'deliver'] as const;
export type RunJobKind = (typeof RUN_JOB_KINDS)[number];

export interface JobHandlers {
  /** One chat event of a lane. Throwing leaves it pending: it is handed out again. */
  event(key: string, payload: unknown): Promise<void>;
  /** One phase of a run; `signal` aborts when this process hands the job back (shutdown). */
  run(kind: RunJobKind, runId: string, signal: AbortSignal): Promise<void>;
}

export interface QueueMetrics {
  /** Jobs waiting to be taken, by queue. */
  depth: Record<string, number>;
  /** Jobs this process is working on now, by queue. */
  active: Record<string, number>;
  /**
   * Pick-up latency, the most recent (for p50/p99): ms from a job being runnable with a slot free
   * for it to a worker starting it. Time spent while every slot was busy is queueing, not counted.
   */
  pickupMs: number[];
}

export interface JobQueue {
  /** True when jobs outlive this process (PostgreSQL): restarts need not re-publish work. */
  readonly durable: boolean;
  publishEvent(key: string, payload: unknown): Promise<void>;
  publishRun(kind: RunJobKind, runId: string): Promise<void>;
  /** Starts taking jobs (the worker role); a gateway only publishes. */
  work(handlers: JobHandlers): Promise<void>;
  /**
   * Stops taking jobs, lets running ones finish for up to `graceMs`, then aborts the rest so
   * they go back to the queue for another worker. Resolves when nothing of ours is running.
   */
  stop(graceMs: number): Promise<void>;
  metrics(): Promise<QueueMetrics>;
}

/** At most this many recent pick-up latencies are kept for metrics. */
export const PICKUP_SAMPLES = 2000;

export function keepSample(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > PICKUP_SAMPLES) samples.splice(0, samples.length - PICKUP_SAMPLES);
}
