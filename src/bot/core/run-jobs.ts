import { errorMessage } from '../../errors.ts';
import { wentBackToFinished } from '../../pipeline/finished-state.ts';
import type { RunJobKind } from '../../pipeline/jobs/ports.ts';
import { statusCard } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';

const CANCEL_POLL_MS = 2000;

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
  if (after.working && after.workPhase)
    await jobs.publishRun(after.workPhase, runId).catch((err) => {
      log.error('queueing the next phase failed', { runId, error: errorMessage(err) });
      throw err;
    });
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
