/**
 * Retry rules live in the error type (ARCHITECTURE.md example 7): the engine decides whether to
 * retry from the class alone, so providers never hand-roll retry loops.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

/** Bad input, content policy, missing binary: retrying cannot help. */
export class NonRetryableError extends AppError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'NonRetryableError';
  }
}

/**
 * A paid prediction ended without usable output. `billing` carries what it still cost, so the
 * run's spend stays true; codes in `RESUBMIT_CODES` mean "pay once more" (outputs deleted,
 * aborted, timed out) rather than "tell the user" (content policy, invalid input).
 */
export class PredictionFailedError extends NonRetryableError {
  constructor(
    code: string,
    message: string,
    readonly billing: { costUsd?: number; predictTimeS?: number } = {},
  ) {
    super(code, message);
    this.name = 'PredictionFailedError';
  }
}

/** Failures where creating the same prediction again is the fix. */
export const RESUBMIT_CODES: ReadonlySet<string> = new Set(['prediction_gone', 'prediction_lost']);

/** The other side asked us to wait (HTTP 429 with Retry-After). */
export class RetryAfterError extends AppError {
  constructor(
    readonly retryAfterMs: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('rate_limited', message, options);
    this.name = 'RetryAfterError';
  }
}

/** The run was cancelled by a user; never retried, never reported as a failure. */
export class CancelledError extends AppError {
  constructor(message = 'cancelled') {
    super('cancelled', message);
    this.name = 'CancelledError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A media binary exited non-zero. Its inputs are local files that do not change between attempts,
 * so the same command fails the same way: retrying only costs time (issue 8, point 7).
 */
export class MediaToolError extends NonRetryableError {
  constructor(
    readonly bin: string,
    readonly exitCode: number,
    readonly stderrTail: string,
  ) {
    super(
      'ffmpeg_failed',
      `${bin} exited with ${exitCode}:\n${stderrTail.trim().split('\n').slice(-15).join('\n')}`,
    );
    this.name = 'MediaToolError';
  }
}

/** Killed by a signal we did not send (the OOM killer, an operator): the next attempt may pass. */
export const MEDIA_TOOL_KILLED = 'ffmpeg_killed';

/**
 * A provider's file failed the collect-time check (truncated, too short, undecodable). The
 * message is the plain reason shown to users; generate() makes the job once more, then fails.
 */
export class MediaRejectedError extends NonRetryableError {
  constructor(message: string) {
    super('media_rejected', message);
    this.name = 'MediaRejectedError';
  }
}

/** The composed file did not decode cleanly; composing again from the same inputs may pass. */
export const COMPOSE_CORRUPT = 'compose_corrupt';
