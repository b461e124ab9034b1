import { errorMessage } from '../../errors.ts';
import { wentBackToFinished } from '../../pipeline/finished-state.ts';
import type { RunJobKind } from '../../pipeline/jobs/ports.ts';
import { statusCard } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import { uploadPreview } from './preview-post.ts';

const CANCEL_POLL_MS = 2000;
/** Free previews this process is making, by run: a job of the run waits for its preview first. */
const previewing = new Map<string, Promise<unknown>>();

/**
 * A worker's run job: one phase of the run's work. The thread is only read here (status edits
 * of a status message its lane already posted); what the result looks like in the thread is
 * shown by a `sync` event in the thread's lane, so two processes never write one thread's
 * bookkeeping at once. Throws when the job must go back to the queue (handed back at shutdown).
 */
export async function runPhase(
  t: ThreadCtx,
  kind: RunJobKind,
  runId: string,
  signal: AbortSignal,
): Promise<void> {
  const { workflow, jobs, progress, log } = t.deps;
  if (!jobs) throw new Error('run jobs need a job queue');
  // Re-entrant leases would let a render of this run start beside its preview here; elsewhere
  // the lease keeps them apart.
  await previewing.get(runId);
  const before = await workflow.view(runId);
  if (!before.working) return;
  if (before.workPhase !== kind) {
    // Published for a phase the run has moved past (a retry after the work landed): go on from here.
    if (before.workPhase) await jobs.publishRun(before.workPhase, runId);
    return;
  }
  const statusId = t.state.statusMessageId;
  if (statusId)
    progress.attach(runId, (text) => t.update(statusId, { kind: 'status', title: '🎬 Working', text }));
  const onAbort = () => void t.deps.handBack?.(runId);
  signal.addEventListener('abort', onAbort, { once: true });
  // A ❌ is decided in the thread's lane, maybe on another worker: its abort cannot reach this
  // process, so the stored cancel is looked for here and stops the paid work within seconds.
  const watch = setInterval(() => {
    workflow.pipeline.get(runId).then(
      (row) =>
        (row.status === 'cancelled' || wentBackToFinished(before.input, row.input)) &&
        workflow.pipeline.abort(runId),
      () => undefined,
    );
  }, CANCEL_POLL_MS);
  watch.unref();
  let after: Awaited<ReturnType<typeof workflow.advanceOnce>>;
  try {
    after = await workflow.advanceOnce(runId);
    // Delivery right after the render, in the same job: the video is on this worker's disk.
    if (kind === 'render' && after.workPhase === 'deliver' && after.working && !signal.aborted)
      after = await workflow.advanceOnce(runId);
  } finally {
    clearInterval(watch);
    signal.removeEventListener('abort', onAbort);
    progress.detach(runId);
  }
  if (signal.aborted) throw new Error(`run ${runId} handed back at shutdown`);
  await jobs.publishEvent(t.state.id, { kind: 'sync', runId });
  if (!after.working && after.previewDue) await makePreview(t, runId);
  if (after.working && after.workPhase)
    await jobs.publishRun(after.workPhase, runId).catch((err) => {
      log.error('queueing the next phase failed', { runId, error: errorMessage(err) });
      throw err;
    });
}

/**
 * The free preview of the storyboard now on show, in the job that made the storyboard (the
 * embedded loop makes it the same way, workflow.ts `once`), uploaded from here, where its file
 * is: the card was shown by the sync before, the lane records the preview in a sync of its
 * own (preview-post.ts). A preview that fails never fails the job.
 */
async function makePreview(t: ThreadCtx, runId: string): Promise<void> {
  const made = (async () => {
    const v = await t.deps.workflow.previewIfDue(runId);
    if (!v.preview) return;
    await uploadPreview(t, { ...v, preview: v.preview });
    await t.deps.jobs!.publishEvent(t.state.id, { kind: 'sync', runId });
  })();
  const settled = made.catch((err: unknown) =>
    t.deps.log.warn('preview post failed', { thread: t.state.id, error: errorMessage(err) }),
  );
  previewing.set(runId, settled);
  try {
    await settled;
  } finally {
    previewing.delete(runId);
  }
}

/**
 * In a thread's lane (worker or embedded bot on PostgreSQL): the work the ad needs now goes to
 * the queue; the status message is posted first, here, so run jobs only ever edit it.
 */
export async function queueWork(t: ThreadCtx): Promise<void> {
  const runId = t.state.runId;
  const jobs = t.deps.jobs;
  if (!runId || !jobs) return;
  const v = await t.deps.workflow.view(runId);
  if (!v.working || !v.workPhase) return;
  if (!t.state.statusMessageId) await t.status(statusCard('Working on it…'));
  await jobs.publishRun(v.workPhase, runId);
}
