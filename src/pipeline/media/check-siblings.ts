/**
 * Which collect checks are worth waiting for (check-queue.ts). A step collects its predictions'
 * files in parallel (a storyboard's 5-7 images, a render's clips), but they come back one poll
 * apart, tens to hundreds of ms, so each file would start its own ffprobe (~0.07 CPU-s of
 * start-up for a file that decodes in a few ms). While other collects of the same run and kind
 * are still at the provider in this process, a check waits a little for them and they share
 * one process. The last one to come back waits for nobody: what the step waits for (the compose
 * needs every clip) is never later than before.
 */
const collecting = new Map<string, number>();

export const collectGroup = (runId: string, kind: string) => `${runId}\n${kind}`;

/** Counts one collect of `group` until the returned function is called (once; later calls do nothing). */
export function trackCollect(group: string): () => void {
  collecting.set(group, (collecting.get(group) ?? 0) + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    const left = (collecting.get(group) ?? 1) - 1;
    if (left > 0) collecting.set(group, left);
    else collecting.delete(group);
  };
}

/** Whether another collect of the group is still waiting for its provider here. */
export const collectsPending = (group: string | undefined): boolean =>
  group !== undefined && (collecting.get(group) ?? 0) > 0;
