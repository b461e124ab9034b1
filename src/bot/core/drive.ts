import { errorMessage } from '../../errors.ts';
import type { ThreadCtx } from './context.ts';
import { queueWork } from './run-jobs.ts';
import { syncThread } from './sync.ts';

/**
 * Lets the workflow do what the thread's ad needs now (in the background: events of the thread
 * keep flowing) and shows each result as it lands. Calling it again while it runs joins the
 * same work. The status message follows the pipeline's progress meanwhile.
 */
export async function drive(t: ThreadCtx): Promise<void> {
  const runId = t.state.runId;
  if (!runId) return;
  const { workflow, progress } = t.deps;
  progress.attach(runId, (text, e) =>
    t.status({
      kind: 'status',
      title: '🎬 Working',
      text,
      ...(e.previewPath ? { images: [{ path: e.previewPath, alt: 'The latest clip, middle frame' }] } : {}),
    }),
  );
  try {
    const final = await workflow.advance(runId, (v) => syncThread(t, v));
    if (!workflow.isAdvancing(runId)) progress.detach(runId);
    await syncThread(t, final);
    if (final.phase === 'done' || final.phase === 'cancelled') await t.deps.threads.close(t.state.id);
  } catch (err) {
    progress.detach(runId);
    t.deps.log.error('thread drive failed', { thread: t.state.id, error: errorMessage(err) });
  }
}

/**
 * Starts the work without waiting for it (handlers must return quickly): in this process, or,
 * with a durable queue, as a run job for whichever worker is free (awaited: it is only a publish).
 */
export async function kick(t: ThreadCtx): Promise<void> {
  if (t.deps.jobs?.durable) return queueWork(t);
  void drive(t);
}
