import { DiscordAPIError, HTTPError } from 'discord.js';
import { AppError, errorMessage, NonRetryableError } from '../../errors.ts';
import { redact } from '../../redact.ts';

/** Discord's "Request entity too large" (HTTP 413, JSON error code 40005). */
export const TOO_LARGE_CODE = 40005;

export function isTooLarge(err: unknown): boolean {
  if (err instanceof DiscordAPIError) return err.status === 413 || err.code === TOO_LARGE_CODE;
  return err instanceof HTTPError && err.status === 413;
}

/**
 * A Discord failure as a short, safe AppError the core can show in the thread: whatever the error
 * quotes (bot token, interaction token in a webhook URL) goes through the one redaction list.
 */
export function discordError(err: unknown, what: string, secrets: readonly string[] = []): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof DiscordAPIError) {
    const message = `Discord refused to ${what} (HTTP ${err.status}, code ${err.code}): ${redact(err.message, secrets)}`;
    // 4xx other than rate limits (handled inside discord.js) will not succeed on a retry.
    return new NonRetryableError(`discord_${err.code}`, message.slice(0, 500));
  }
  if (err instanceof HTTPError)
    return new AppError(
      'discord_http',
      `Discord failed to ${what} (HTTP ${err.status}): ${redact(err.message, secrets)}`,
    );
  return new AppError(
    'discord',
    `Could not ${what} on Discord: ${redact(errorMessage(err), secrets).slice(0, 300)}`,
  );
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 2 : 1)} MiB`;

export function tooLargeError(sizeBytes: number, limitBytes: number): NonRetryableError {
  // Our idea of the limit can be stale (boosts change); only quote it when it explains the refusal.
  const limit = limitBytes < sizeBytes ? ` of ${mib(limitBytes)}` : '';
  return new NonRetryableError(
    'upload_too_large',
    `Discord refused the video: ${mib(sizeBytes)} is over this server's upload limit${limit} per file. ` +
      'Try again with the draft profile (a smaller file), or boost the server for a higher limit.',
  );
}
