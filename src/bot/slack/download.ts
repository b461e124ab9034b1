import { checkDeclaredSize, readCapped } from '../../pipeline/media/logo.ts';
import type { IncomingFile } from '../core/ports.ts';

/**
 * Downloads a file a person shared in a thread. Slack's `url_private_download` needs the bot
 * token as a Bearer header (files:read); the token is only ever sent to Slack's file host, or to
 * the configured API host (a test fake, an enterprise proxy), and redirects are not followed so
 * it cannot travel on. Without the scope Slack answers 200 with its HTML sign-in page.
 */
export function slackFileDownloader(botToken: string, apiUrl?: string) {
  const allowed = new Set(['https://files.slack.com']);
  if (apiUrl) allowed.add(new URL(apiUrl).origin);
  return async (file: IncomingFile, maxBytes: number): Promise<Buffer> => {
    let url: URL;
    try {
      url = new URL(file.url);
    } catch {
      throw new Error('the file link from Slack is not a URL');
    }
    if (!allowed.has(url.origin)) throw new Error(`files are only downloaded from Slack (not ${url.host})`);
    const abort = new AbortController();
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${botToken}` },
      redirect: 'error',
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(60_000)]),
    });
    if (!res.ok || !res.body) throw new Error(`Slack answered ${res.status} for the file`);
    if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
      await res.body.cancel();
      throw new Error('Slack sent its sign-in page instead of the file: the app needs the files:read scope');
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > maxBytes) {
      // Refused by the size Slack states, before the body is read.
      await res.body.cancel();
      checkDeclaredSize(declared, maxBytes);
    }
    return readCapped(res.body as unknown as AsyncIterable<Uint8Array>, maxBytes, () => abort.abort());
  };
}
