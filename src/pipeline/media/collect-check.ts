import { rm } from 'node:fs/promises';
import { CancelledError, MediaRejectedError } from '../../errors.ts';
import { verifyAll } from './check-queue.ts';
import type { FfmpegBins } from './run.ts';
import type { MediaExpectation, MediaKind, VerifiedMedia } from './verify.ts';

/**
 * Collect-time checks for what a provider returned (issue 8, point 7): names what the user knows
 * ("scene 3's clip") from the step id, reads what was asked from the job input, and decodes every
 * file. Step ids are `scene-<i>/clip/…`, `scene-<i>/image/…`, `mood-<i>/images/…`, `music/…`.
 */
export function mediaLabel(stepId: string, kind: MediaKind, fileIndex: number, fileCount: number): string {
  const scene = /^scene-(\d+)\//.exec(stepId);
  if (scene)
    return `scene ${Number(scene[1]) + 1}'s ${kind === 'clip' ? 'clip' : kind === 'voice' ? 'voice-over' : 'image'}`;
  const mood = /^mood-(\d+)\//.exec(stepId);
  if (mood) return `mood board ${Number(mood[1]) + 1}'s image${fileCount > 1 ? ` ${fileIndex + 1}` : ''}`;
  if (stepId.startsWith('music/')) return 'the music track';
  return `the ${kind} of step ${stepId}`;
}

/** Seconds asked of the provider, when the job input says (VideoInput, MusicInput). */
function askedSeconds(input: unknown): number | undefined {
  const d = (input as { durationS?: unknown } | null)?.durationS;
  return typeof d === 'number' && Number.isFinite(d) && d > 0 ? d : undefined;
}

export function expectationsFor(stepId: string, kind: MediaKind, input: unknown, count: number) {
  const durationS = kind === 'clip' || kind === 'music' ? askedSeconds(input) : undefined;
  return Array.from(
    { length: count },
    (_, i): MediaExpectation => ({ kind, label: mediaLabel(stepId, kind, i, count), durationS }),
  );
}

/**
 * Decodes every collected file; on the first bad one, deletes the batch (none of it is stored)
 * and throws the plain reason. Returns what the decode measured, in file order.
 */
export async function checkCollected(
  files: readonly string[],
  stepId: string,
  kind: MediaKind,
  input: unknown,
  bins: FfmpegBins | undefined,
  signal?: AbortSignal,
  /** The step's collect group (check-siblings.ts), when its siblings are collected in parallel. */
  group?: string,
): Promise<VerifiedMedia[]> {
  const wants = expectationsFor(stepId, kind, input, files.length);
  // One process for the lot when they are clean (check-queue.ts); a bad one is judged alone.
  const results = await verifyAll(
    files.map((path, i) => ({ path, want: wants[i]! })),
    bins,
    signal,
    group,
  );
  const bad = results.find((r) => r.status === 'rejected');
  // A cancel is not a verdict on the files: keep them for the resumed run.
  if (signal?.aborted) throw new CancelledError();
  if (!bad) return results.map((r) => (r as PromiseFulfilledResult<VerifiedMedia>).value);
  // Only a verdict on the files removes them; a killed decoder may pass on the engine's retry.
  if (bad.reason instanceof MediaRejectedError)
    await Promise.all(files.map((f) => rm(f, { force: true }).catch(() => undefined)));
  throw bad.reason;
}

export function isMediaRejected(err: unknown): boolean {
  const cause = err instanceof Error && err.name === 'StepFailedError' ? err.cause : err;
  return cause instanceof MediaRejectedError;
}
