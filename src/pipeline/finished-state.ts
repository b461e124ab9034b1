import { type RunInput, RunInputSchema } from './run-input.ts';
import { currentVersion, versionRev } from './versions.ts';

/**
 * Work started from a finished ad (a new version, More formats) keeps that finished state in the
 * run (`RunInput.finished`), so cancelling the work goes back to the finished ad instead of
 * cancelling it: v1 stays the latest version, with working buttons, and nothing is posted.
 */

/** `next` with the finished state it starts from; the copy carries no `finished` of its own. */
export const rememberFinished = (done: RunInput, next: RunInput): RunInput => ({
  ...next,
  finished: { ...done, finished: null },
});

/** The finished ad that the work under way started from, when there is one. */
export function finishedBefore(i: RunInput): RunInput | null {
  if (!i.finished) return null;
  const parsed = RunInputSchema.safeParse(i.finished);
  return parsed.success ? { ...parsed.data, finished: null } : null;
}

/** A cancel's verdict back to the finished ad, with the line that says so. */
export function backToFinished(i: RunInput, back: RunInput) {
  const [now, before] = [versionRev(i), versionRev(back)];
  // (More formats keeps its version's delivery mark, so its cancel is refused before this.)
  const summary =
    currentVersion(i) === currentVersion(back)
      ? `The work on ${now} is cancelled; it stays as it was.`
      : `${now} is cancelled; ${before} is the latest version again, and its buttons work.`;
  return { next: back, status: 'succeeded' as const, summary };
}

/**
 * Whether a cancel took the run from `worked` (work started from a finished ad) back to that
 * finished ad: only that decision turns a kept `finished` into none.
 */
export const wentBackToFinished = (worked: RunInput, now: RunInput): boolean =>
  worked.finished !== null && now.finished === null;
