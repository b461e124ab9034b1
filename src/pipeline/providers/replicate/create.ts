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
      return await deps.api.create(model, input, { deadlineS: deps.deadlineS, signal });
    } catch (err) {
      if (err instanceof RetryAfterError && ++limited < MAX_RATE_LIMITED) {
        deps.limiter.pause(err.retryAfterMs);
        continue;
      }
      if (err instanceof RetryAfterError) deps.limiter.pause(err.retryAfterMs);
      if (err instanceof ReplicateTransportError && err.ambiguous) {
        // After a dropped connection or a 5xx the prediction may exist and be billed: adopt it.
        const [orphan] = await findCreated(deps.api, model, input, sentAt, signal).catch(() => []);
        if (orphan) return orphan;
      }
      throw err;
    }
  }
}
