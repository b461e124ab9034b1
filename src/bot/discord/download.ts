import { downloadCapped } from '../core/download.ts';
import type { IncomingFile } from '../core/ports.ts';

/**
 * Attachments live on Discord's CDN behind signed URLs: no token is sent (the bot token must never
 * reach a CDN). The configured API host is allowed too (the test fake serves attachments there).
 */
export function discordFileDownloader(apiUrl?: string) {
  const allowed = new Set(['https://cdn.discordapp.com', 'https://media.discordapp.net']);
  if (apiUrl) allowed.add(new URL(apiUrl).origin);
  return (file: IncomingFile, maxBytes: number): Promise<Buffer> =>
    downloadCapped(file, maxBytes, { allowed });
}
