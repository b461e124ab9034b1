import { AppError, CancelledError, errorMessage, NonRetryableError, RetryAfterError } from '../errors.ts';
import type { RunMethods, Transactional } from './stores.ts';

/**
 * Durable steps (ARCHITECTURE.md example 5). `step(id, fn)` is memoised by (runId, stepId) in a
 * tiny store port: a stored success is returned without calling `fn`, so a run resumed after a
 * crash redoes only the steps that had not finished. Everything non-deterministic (API calls,
 * time, randomness, files) must happen inside a step; results must be JSON.
 */
export interface StepRecord {
  /** `running`: begun and never finished, i.e. its process died inside it. */
  status: 'running' | 'succeeded' | 'failed';
  result?: unknown;
  error?: string | null;
  /** A failed step's typed code (the root cause's AppError.code, `internal` otherwise). */
  errorCode?: string | null;
  /** Whether retrying the failed step could help (a 5xx might pass, a refused prompt never). */
  retryable?: boolean | null;
}

export interface StepFailure {
  error: string;
  code: string;
  retryable: boolean;
}

export interface StepMethods {
  load(runId: string, stepId: string): Promise<StepRecord | undefined>;
  /** Every stored step of a run, by step id: what a view reads, in one query (view-steps.ts). */
  loadRun(runId: string): Promise<Map<string, StepRecord>>;
  /** Called each time `fn` is entered (counts executions across restarts). */
  begin(runId: string, stepId: string): Promise<void>;
  succeed(runId: string, stepId: string, result: unknown, attempts: number, ms: number): Promise<void>;
  fail(runId: string, stepId: string, failure: StepFailure, attempts: number): Promise<void>;
}

/** A step's transaction also covers the run records derived from its result (prediction, assets). */
export interface StepTx extends StepMethods {
  runs: RunMethods;
}

export type StepStore = StepMethods & Transactional<StepTx>;

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface StepOptions<T> {
  attempts?: number;
  /** Persist something derived from the result atomically with it (through `runs` of the step's tx). */
  alsoWrite?: (result: T, runs: RunMethods) => Promise<void>;
  /**
   * A stored result is used only when this says so, e.g. when the files it names are on this
   * machine (issue 11: workers share no disk). Otherwise the step runs again, so only for steps
   * that pay for nothing (a compose, not a prediction).
   */
  reusable?: (stored: T) => Promise<boolean>;
}

export interface StepInfo {
  attempt: number;
  signal: AbortSignal;
  /**
   * The step was left `running` by a process that died inside it. Local steps just run again;
   * a paid submit must first look for what the dead process may already have paid for.
   */
  interrupted: boolean;
}

/** Thrown when a step gives up; carries the step id so users see where it failed. */
export class StepFailedError extends Error {
  override name = 'StepFailedError';
  constructor(
    readonly stepId: string,
    override readonly cause: unknown,
  ) {
    super(`step ${stepId} failed: ${errorMessage(cause)}`, { cause });
  }
}

/** The error under any number of step wrappers (a step may run steps of its own). */
export function rootCause(err: unknown): unknown {
  let e = err;
  while (e instanceof StepFailedError) e = e.cause;
  return e;
}

/** What is stored for a failed step: the reason people read, its code, and whether a retry may help. */
export function stepFailure(err: unknown): StepFailure {
  const cause = rootCause(err);
  return {
    error: errorMessage(err),
    code: cause instanceof AppError ? cause.code : 'internal',
    retryable: isRetryable(cause),
  };
}

export function isRetryable(err: unknown): boolean {
  // A failed inner step already used its own attempts; the step around it must not multiply them.
  if (err instanceof StepFailedError) return false;
  if (err instanceof NonRetryableError || err instanceof CancelledError) return false;
  if (err instanceof Error && err.name === 'ZodError') return false;
  return true;
}

/** Exponential backoff with full jitter; Retry-After wins when the other side sent one. */
export function retryDelayMs(
  err: unknown,
  attempt: number,
  policy: RetryPolicy,
  random = Math.random,
): number {
  if (err instanceof RetryAfterError) return Math.min(err.retryAfterMs, 10 * 60_000);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class RunContext {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    readonly runId: string,
    private readonly store: StepStore,
    readonly signal: AbortSignal,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {}

  /** Why the run stopped: a typed reason given to abort() (a lost lease), else a cancel. */
  private abortError(): AppError {
    const reason: unknown = this.signal.reason;
    return reason instanceof AppError ? reason : new CancelledError();
  }

  /** A step that already succeeded in this run, without running anything. */
  async peek<T>(stepId: string): Promise<T | undefined> {
    const rec = await this.store.load(this.runId, stepId);
    return rec?.status === 'succeeded' ? (rec.result as T) : undefined;
  }

  step<T>(stepId: string, fn: (info: StepInfo) => Promise<T>, opts: StepOptions<T> = {}): Promise<T> {
    // Two callers asking for the same step in one process share one execution.
    const running = this.inFlight.get(stepId);
    if (running) return running as Promise<T>;
    const p = this.execute(stepId, fn, opts).finally(() => this.inFlight.delete(stepId));
    this.inFlight.set(stepId, p);
    return p;
  }

  private async execute<T>(
    stepId: string,
    fn: (info: StepInfo) => Promise<T>,
    opts: StepOptions<T>,
  ): Promise<T> {
    const stored = await this.store.load(this.runId, stepId);
    if (stored?.status === 'succeeded' && (!opts.reusable || (await opts.reusable(stored.result as T))))
      return stored.result as T;
    const interrupted = stored?.status === 'running';
    const attempts = opts.attempts ?? this.policy.attempts;
    for (let attempt = 1; ; attempt++) {
      if (this.signal.aborted) throw this.abortError();
      await this.store.begin(this.runId, stepId);
      const started = Date.now();
      try {
        const result = await fn({ attempt, signal: this.signal, interrupted });
        const json = result === undefined ? null : JSON.parse(JSON.stringify(result));
        const ms = Date.now() - started;
        // Scoped to the run: the step's own rows and the run records derived from them.
        await this.store.transaction(
          async (tx) => {
            await tx.succeed(this.runId, stepId, json, attempt, ms);
            await opts.alsoWrite?.(result, tx.runs);
          },
          { scope: this.runId },
        );
        return result;
      } catch (err) {
        if (err instanceof CancelledError || this.signal.aborted) throw this.abortError();
        if (!isRetryable(err) || attempt >= attempts) {
          await this.store.fail(this.runId, stepId, stepFailure(err), attempt);
          throw new StepFailedError(stepId, err);
        }
        await sleep(retryDelayMs(err, attempt, this.policy), this.signal);
      }
    }
  }
}
