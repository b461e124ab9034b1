import { downloadCapped } from '../core/download.ts';
import type { IncomingFile } from '../core/ports.ts';

/**
 * Files people share in a thread. Slack's `url_private_download` needs the bot token as a Bearer
 * header (files:read): it is only sent to Slack's file host, or to the configured API host (a
 * test fake, an enterprise proxy). Without the scope Slack answers 200 with its HTML sign-in page.
 */
export function slackFileDownloader(botToken: string, apiUrl?: string) {
  const allowed = new Set(['https://files.slack.com']);
  if (apiUrl) allowed.add(new URL(apiUrl).origin);
  return (file: IncomingFile, maxBytes: number): Promise<Buffer> =>
    downloadCapped(file, maxBytes, {
      allowed,
      headers: { authorization: `Bearer ${botToken}` },
      htmlMeans: 'Slack sent its sign-in page instead of the file: the app needs the files:read scope',
    });
}
