import { RetryAfterError } from '../../../errors.ts';
import type { Prediction, ReplicateApi } from './client.ts';
import { ReplicateTransportError } from './errors.ts';
import type { PredictionLimiter } from './limiter.ts';

/** 429s absorbed here (everyone pausing together) before the engine's step retry takes over. */
const MAX_RATE_LIMITED = 6;
/** Server clocks differ from ours; a prediction this much "older" than our POST may still be it. */
const CLOCK_SLACK_MS = 60_000;

/** Inputs compared on their short values: a data URI may come back rewritten as a file URL. */
function fingerprint(input: unknown): string {
  if (!input || typeof input !== 'object') return '';
  const entries = Object.entries(input as Record<string, unknown>)
    .filter(
      ([, v]) =>
        typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 2000),
    )
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

function sameModel(p: Prediction, model: string): boolean {
  const [ref, version] = model.split(':');
  return version ? p.version === version : p.model === ref;
}

/**
 * After a dropped connection or a 5xx on create, the prediction may exist and be billed. Look for
 * it among the newest predictions (same model, same input, created since our POST) and adopt it
 * instead of paying for a second one.
 */
async function findOrphan(
  api: ReplicateApi,
  model: string,
  input: object,
  sentAt: number,
  signal: AbortSignal,
): Promise<Prediction | undefined> {
  const want = fingerprint(input);
  const recent = await api.recent(signal).catch(() => []);
  return recent.find(
    (p) =>
      sameModel(p, model) &&
      Date.parse(p.created_at) >= sentAt - CLOCK_SLACK_MS &&
      fingerprint(p.input) === want &&
      !['failed', 'canceled', 'aborted'].includes(p.status),
  );
}

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
        const orphan = await findOrphan(deps.api, model, input, sentAt, signal);
        if (orphan) return orphan;
      }
      throw err;
    }
  }
}
