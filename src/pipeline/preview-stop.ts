import type { RunInput } from './run-input.ts';
import { previewKey } from './steps/preview.ts';

/** How often a preview being made looks whether it is still wanted (decisions elsewhere). */
export const PREVIEW_WATCH_MS = 250;

/** A preview of `key` is wanted while its storyboard is on show, not approved, in a live run. */
export const previewWanted = (key: string, input: RunInput, status: string): boolean =>
  status !== 'cancelled' && input.approvedRev === null && previewKey(input) === key;

/**
 * Stops the free preview once nobody will look at it: the storyboard was approved (the render
 * waits for the preview's lease, so finishing it only delays the video people asked for),
 * changed (a new preview is due), or the ad was cancelled. A decision taken in this process
 * stops it at once; one taken in another (a thread's lane on another worker) within
 * PREVIEW_WATCH_MS, by reading the run row.
 */
export function previewStops(read: (runId: string) => Promise<{ input: RunInput; status: string }>) {
  const making = new Map<string, { key: string; stop: AbortController }>();
  return {
    /** Runs `make` with a signal that aborts when the preview of `key` is no longer wanted. */
    async watch<T>(runId: string, key: string, make: (stop: AbortSignal) => Promise<T>): Promise<T> {
      const entry = { key, stop: new AbortController() };
      making.set(runId, entry);
      const look = setInterval(() => {
        read(runId).then(
          (row) => previewWanted(key, row.input, row.status) || entry.stop.abort(),
          () => undefined, // a busy database: the next look, or the preview simply finishes
        );
      }, PREVIEW_WATCH_MS);
      look.unref();
      try {
        return await make(entry.stop.signal);
      } finally {
        clearInterval(look);
        if (making.get(runId) === entry) making.delete(runId);
      }
    },
    /** A decision was stored here: the run's preview stops unless it is still wanted. */
    decided(runId: string, input: RunInput, status: string): void {
      const entry = making.get(runId);
      if (entry && !previewWanted(entry.key, input, status)) entry.stop.abort();
    },
  };
}
