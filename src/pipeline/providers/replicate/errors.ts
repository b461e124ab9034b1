import { AppError, NonRetryableError, RetryAfterError } from '../../../errors.ts';
import { redact } from '../redact.ts';

/**
 * A transport failure that may be retried. `ambiguous` means the request may have reached
 * Replicate (dropped connection, 5xx): after a create, a prediction may exist and be billed.
 */
export class ReplicateTransportError extends AppError {
  constructor(
    code: string,
    message: string,
    readonly ambiguous: boolean,
  ) {
    super(code, message);
    this.name = 'ReplicateTransportError';
  }
}

export type Fault =
  | { kind: 'network' | 'aborted'; message: string }
  | { kind: 'http'; status: number; body: string; retryAfter: string | null; retryAfterMs: string | null };

/** Retry-After as seconds, an HTTP date, `retry-after-ms`, or Replicate's "available in N seconds". */
export function retryAfterMs(f: {
  body: string;
  retryAfter: string | null;
  retryAfterMs: string | null;
}): number {
  const clamp = (ms: number) => Math.min(10 * 60_000, Math.max(50, Math.round(ms)));
  if (f.retryAfterMs && Number.isFinite(Number(f.retryAfterMs))) return clamp(Number(f.retryAfterMs));
  if (f.retryAfter) {
    const secs = Number(f.retryAfter);
    if (Number.isFinite(secs)) return clamp(secs * 1000);
    const date = Date.parse(f.retryAfter);
    if (!Number.isNaN(date)) return clamp(date - Date.now());
  }
  const m = /available in (\d+(?:\.\d+)?) ?s/i.exec(f.body);
  return clamp(m ? Number(m[1]) * 1000 : 1000);
}

/** Replicate answers errors as `{detail}` or problem+json `{title, detail}`. */
function detailOf(body: string): string {
  try {
    const j = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const d = typeof j.detail === 'string' ? j.detail : JSON.stringify(j.detail ?? j.title ?? '');
    return d || body;
  } catch {
    return body;
  }
}

/** An error for a failed call: the message never carries the token, and no Request is attached. */
export function faultToError(fault: Fault, what: string, secrets: readonly string[]): Error {
  if (fault.kind !== 'http') {
    return new ReplicateTransportError(
      fault.kind === 'aborted' ? 'replicate_timeout' : 'replicate_network',
      `Replicate ${what}: ${fault.kind === 'aborted' ? 'timed out' : redact(fault.message, secrets)}`,
      true,
    );
  }
  const detail = redact(detailOf(fault.body), secrets);
  const { status } = fault;
  if (status === 429)
    return new RetryAfterError(retryAfterMs(fault), `Replicate ${what}: rate limited (${detail})`);
  if (status >= 500)
    return new ReplicateTransportError(
      'replicate_unavailable',
      `Replicate ${what}: HTTP ${status} ${detail}`,
      true,
    );
  if (status === 401 || status === 403) {
    return new NonRetryableError(
      'replicate_auth',
      `Replicate rejected the API token (check REPLICATE_API_TOKEN): HTTP ${status}`,
    );
  }
  if (status === 402)
    return new NonRetryableError('replicate_billing', `Replicate needs billing for this account: ${detail}`);
  if (status === 404)
    return new NonRetryableError('replicate_not_found', `Replicate ${what}: not found (${detail})`);
  if (status === 422 || status === 400)
    return new NonRetryableError('invalid_input', `Replicate rejected the input: ${detail}`);
  return new NonRetryableError('replicate_http', `Replicate ${what}: HTTP ${status} ${detail}`);
}
