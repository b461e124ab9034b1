import Replicate, { type Prediction } from 'replicate';
import { CancelledError } from '../../../errors.ts';
import { registerSecrets } from '../../../redact.ts';
import { type Fault, faultToError } from './errors.ts';

export type { Prediction };

const ENVELOPE = '__adgenFault';

function cursorOf(next: string | null | undefined): string | undefined {
  try {
    return next ? (new URL(next).searchParams.get('cursor') ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `replicate` client retries 429 itself ignoring Retry-After, and silently re-POSTs after a
 * dropped connection: a second billed prediction (PLATFORM-NOTES). This fetch makes every call
 * single-shot by answering every failure with a 200 envelope the client passes through
 * untouched; `call` turns it into our own error. It also means the library never builds an
 * ApiError, whose Request object would carry the Authorization header into logs.
 */
export async function singleShotFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const envelope = (fault: Fault) =>
    new Response(JSON.stringify({ [ENVELOPE]: fault }), { headers: { 'content-type': 'application/json' } });
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (err) {
    const aborted = init?.signal?.aborted ?? false;
    const message =
      err instanceof Error
        ? `${err.message}${err.cause instanceof Error ? ` (${err.cause.message})` : ''}`
        : String(err);
    return envelope({ kind: aborted ? 'aborted' : 'network', message });
  }
  if (res.ok) return res;
  const body = await res.text().catch(() => '');
  return envelope({
    kind: 'http',
    status: res.status,
    body: body.slice(0, 2000),
    retryAfter: res.headers.get('retry-after'),
    retryAfterMs: res.headers.get('retry-after-ms'),
  });
}

export interface ReplicateApiOptions {
  apiToken: string;
  baseUrl?: string;
  /** Per HTTP call; a hung connection must not stall a render. */
  requestTimeoutMs?: number;
}

export interface CreateOptions {
  /** Replicate cancels the prediction itself after this long (`Cancel-After`). */
  deadlineS: number;
  signal?: AbortSignal;
}

/** The handful of Replicate calls adgen makes, each single-shot with errors mapped. */
export function createReplicateApi(opts: ReplicateApiOptions) {
  const client = new Replicate({
    auth: opts.apiToken,
    baseUrl: opts.baseUrl,
    useFileOutput: false,
    fetch: singleShotFetch,
  });
  const secrets = [opts.apiToken];
  registerSecrets(opts.apiToken);
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;

  async function call<T>(
    what: string,
    route: string,
    init: { method?: string; data?: object; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<T> {
    if (init.signal?.aborted) throw new CancelledError();
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let json: unknown;
    try {
      const res = await client.request(route, { ...init, signal });
      json = await res.json();
    } catch (err) {
      if (init.signal?.aborted) throw new CancelledError();
      // A body cut off mid-way: the request reached Replicate, so this is as ambiguous as a drop.
      const message = err instanceof Error ? err.message : String(err);
      throw faultToError({ kind: timeout.aborted ? 'aborted' : 'network', message }, what, secrets);
    }
    if (json && typeof json === 'object' && ENVELOPE in json) {
      if (init.signal?.aborted) throw new CancelledError();
      throw faultToError((json as Record<string, Fault>)[ENVELOPE]!, what, secrets);
    }
    return json as T;
  }

  const predictionPath = (id: string) => `/predictions/${encodeURIComponent(id)}`;

  return {
    /**
     * `owner/name` uses the official-model endpoint; `owner/name:version` the versioned one.
     * Never `Prefer: wait`: the id must be stored before any waiting (a crash while blocked in a
     * create would lose it and the next attempt would pay again).
     */
    create(model: string, input: object, o: CreateOptions): Promise<Prediction> {
      const [ref, version] = model.split(':') as [string, string | undefined];
      const headers = { 'Cancel-After': `${Math.max(1, Math.round(o.deadlineS))}s` };
      if (version)
        return call('create a prediction', '/predictions', {
          method: 'POST',
          data: { version, input },
          headers,
          signal: o.signal,
        });
      const [owner, name] = ref.split('/').map(encodeURIComponent);
      return call('create a prediction', `/models/${owner}/${name}/predictions`, {
        method: 'POST',
        data: { input },
        headers,
        signal: o.signal,
      });
    },
    get: (id: string, signal?: AbortSignal) =>
      call<Prediction>('get a prediction', predictionPath(id), { signal }),
    async cancel(id: string): Promise<void> {
      await call('cancel a prediction', `${predictionPath(id)}/cancel`, { method: 'POST' });
    },
    /**
     * One page of this account's predictions, newest first (to find one whose create never
     * answered). Only the cursor is taken from `next`: following its URL as given could send
     * our token to whatever host a response names.
     */
    async listPage(
      cursor?: string,
      signal?: AbortSignal,
    ): Promise<{ results: Prediction[]; cursor?: string }> {
      const route = cursor ? `/predictions?cursor=${encodeURIComponent(cursor)}` : '/predictions';
      const page = await call<{ results?: Prediction[]; next?: string | null }>('list predictions', route, {
        signal,
      });
      const next = cursorOf(page.next);
      return { results: page.results ?? [], cursor: next };
    },
    /** Uploads a file for use as a model input; returns the URL Replicate serves it from. */
    async upload(
      bytes: Buffer,
      fileName: string,
      contentType: string,
      signal?: AbortSignal,
    ): Promise<string> {
      const form = new FormData();
      form.append('content', new Blob([new Uint8Array(bytes)], { type: contentType }), fileName);
      form.append('metadata', new Blob(['{}'], { type: 'application/json' }));
      const file = await call<{ urls?: { get?: string } }>('upload a file', '/files', {
        method: 'POST',
        data: form,
        signal,
      });
      if (!file.urls?.get)
        throw faultToError(
          { kind: 'network', message: 'upload answered without a URL' },
          'upload a file',
          secrets,
        );
      return file.urls.get;
    },
  };
}

export type ReplicateApi = ReturnType<typeof createReplicateApi>;
