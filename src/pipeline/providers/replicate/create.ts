import { RetryAfterError } from '../../../errors.ts';
import type { Prediction, ReplicateApi } from './client.ts';
import { ReplicateTransportError } from './errors.ts';
import { findCreated } from './find.ts';
import type { PredictionLimiter } from './limiter.ts';

/** 429s absorbed here (everyone pausing together) before the engine's step retry takes over. */
const MAX_RATE_LIMITED = 6;
/**
 * Creates one prediction under the process-wide limiter. A 429 pauses every create in this
 * process for its Retry-After (no burst of retries); a dropped create is looked up before it is
 * ever re-sent. Returns as soon as Replicate has given the id: the caller stores it at once.
 *
 * `signal` (the run's cancel) stops the wait before sending, never a create already sent:
 * aborting that request would not stop Replicate from making (and billing) the prediction, only
 * hide its id from us. Such a create is let finish (bounded by the request timeout), cancelled at
 * once so it stops billing, and returned, so the caller still records what it cost.
 */
export async function createPrediction(
  deps: { api: ReplicateApi; limiter: PredictionLimiter; deadlineS: number },
  model: string,
  input: object,
  signal: AbortSignal,
): Promise<Prediction> {
  for (let limited = 0; ; ) {
    await deps.limiter.beforeCreate(signal);
    const sentAt = Date.now();
    try {
      const p = await deps.api.create(model, input, { deadlineS: deps.deadlineS });
      if (signal.aborted) await deps.api.cancel(p.id).catch(() => undefined);
      return p;
    } catch (err) {
      if (err instanceof RetryAfterError && ++limited < MAX_RATE_LIMITED) {
        deps.limiter.pause(err.retryAfterMs);
        continue;
      }
      if (err instanceof RetryAfterError) deps.limiter.pause(err.retryAfterMs);
      if (err instanceof ReplicateTransportError && err.ambiguous) {
        // After a dropped connection or a 5xx the prediction may exist and be billed: adopt it.
        const [orphan] = await findCreated(deps.api, model, input, sentAt).catch(() => []);
        if (orphan && signal.aborted) await deps.api.cancel(orphan.id).catch(() => undefined);
        if (orphan) return orphan;
      }
      throw err;
    }
  }
}
