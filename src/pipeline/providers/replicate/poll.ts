import {
  CancelledError,
  NonRetryableError,
  PredictionFailedError,
  RetryAfterError,
} from '../../../errors.ts';
import { sleep } from '../../engine.ts';
import type { Prediction, ReplicateApi } from './client.ts';

export interface PollOptions {
  /** First and longest gap between two polls. */
  minMs: number;
  maxMs: number;
  /** The deadline sent as Cancel-After; past it (plus grace) we cancel ourselves. */
  deadlineS: number;
  signal: AbortSignal;
}

const FINAL = new Set(['succeeded', 'failed', 'canceled', 'aborted']);
/** Polls that may fail in a row (network, 5xx) before the collect step gives up for now. */
const MAX_POLL_FAILURES = 6;
const GRACE_MS = 30_000;

/**
 * Our own polling, never `replicate.run`/`wait` (run returns null for slow models; wait polls an
 * `aborted` prediction forever). The gap is 5% of the time already waited, within [minMs, maxMs],
 * so a result is seen at most ~5% late (or minMs) while a 3-minute video costs only a few dozen
 * GETs. On abort the prediction is cancelled so it stops billing.
 */
export async function waitForPrediction(api: ReplicateApi, id: string, o: PollOptions): Promise<Prediction> {
  const started = Date.now();
  let failures = 0;
  for (;;) {
    let p: Prediction | undefined;
    try {
      p = await api.get(id, o.signal);
      failures = 0;
    } catch (err) {
      if (err instanceof CancelledError || o.signal.aborted) return cancelAndThrow(api, id);
      if (err instanceof NonRetryableError) {
        if (err.code === 'replicate_not_found') {
          throw new PredictionFailedError(
            'prediction_gone',
            `prediction ${id} no longer exists on Replicate`,
          );
        }
        throw err;
      }
      if (++failures > MAX_POLL_FAILURES) throw err;
      const backoff =
        err instanceof RetryAfterError ? err.retryAfterMs : Math.min(o.maxMs, o.minMs * 2 ** failures);
      await sleep(backoff, o.signal).catch(() => cancelAndThrow(api, id));
      continue;
    }
    if (FINAL.has(p.status)) return p;
    const created = Date.parse(p.created_at ?? '') || started;
    if (Date.now() > created + o.deadlineS * 1000 + GRACE_MS) {
      await api.cancel(id).catch(() => undefined);
      throw new PredictionFailedError(
        'prediction_lost',
        `prediction ${id} did not finish within ${o.deadlineS} s`,
        {
          costUsd: 0,
        },
      );
    }
    const gap = Math.min(o.maxMs, Math.max(o.minMs, (Date.now() - started) / 20));
    await sleep(gap, o.signal).catch(() => cancelAndThrow(api, id));
  }
}

/** A cancelled run must stop paying: cancel the prediction (best effort), then report cancelled. */
async function cancelAndThrow(api: ReplicateApi, id: string): Promise<never> {
  await api.cancel(id).catch(() => undefined);
  throw new CancelledError();
}
