import { checkDeclaredSize, readCapped } from '../../pipeline/media/logo.ts';
import type { IncomingFile } from './ports.ts';

export interface DownloadRules {
  /** Origins (`https://files.slack.com`) a file may come from; credentials go nowhere else. */
  allowed: Set<string>;
  headers?: Record<string, string>;
  /** Said when the platform answers with an HTML page instead of the file (a sign-in page). */
  htmlMeans?: string;
}

/**
 * Downloads a file a person attached, for an adapter's `downloadFile`: only from the platform's
 * own hosts, redirects refused (so a credential header cannot travel on), stopped as soon as it
 * passes `maxBytes` whatever size the sender claimed.
 */
export async function downloadCapped(
  file: IncomingFile,
  maxBytes: number,
  rules: DownloadRules,
): Promise<Buffer> {
  let url: URL;
  try {
    url = new URL(file.url);
  } catch {
    throw new Error('the file link is not a URL');
  }
  if (!rules.allowed.has(url.origin))
    throw new Error(`files are only downloaded from the chat platform (not ${url.host})`);
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: rules.headers ?? {},
    redirect: 'error',
    signal: AbortSignal.any([abort.signal, AbortSignal.timeout(60_000)]),
  });
  if (!res.ok || !res.body) throw new Error(`the platform answered ${res.status} for the file`);
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body.cancel();
    throw new Error(rules.htmlMeans ?? 'the platform sent a web page instead of the file');
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    // Refused by the size the platform states, before the body is read.
    await res.body.cancel();
    checkDeclaredSize(declared, maxBytes);
  }
  return readCapped(res.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => abort.abort());
}
