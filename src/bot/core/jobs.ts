import { AppError, CancelledError, errorMessage } from '../../errors.ts';
import { StepFailedError } from '../../pipeline/engine.ts';
import {
  deliveryComment,
  errorCard,
  moodCard,
  moodsPromptCard,
  statusCard,
  storyboardCard,
} from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import { deliverOnce } from './delivery.ts';
import type { Phase } from './thread-state.ts';

export type JobKind = 'moods' | 'storyboard' | 'rendering';

/** What people should read when a job fails: the cause, not our step ids. */
function reason(err: unknown): string {
  return errorMessage(err instanceof StepFailedError ? err.cause : err);
}

/**
 * A video that cannot fit the platform's upload limit at this profile will not fit on a retry
 * either: offer the draft profile instead (same clips, smaller frames), or nothing if already draft.
 */
function offerAfter(t: ThreadCtx, err: unknown): 'retry' | 'draft' | 'none' {
  const cause = err instanceof StepFailedError ? err.cause : err;
  if (!(cause instanceof AppError) || cause.code !== 'size_target_unreachable') return 'retry';
  const runId = t.state.runId;
  return runId && t.deps.pipeline.get(runId).input.profile === 'final' ? 'draft' : 'none';
}

async function moods(t: ThreadCtx, runId: string) {
  await t.status(statusCard('Creating three mood boards…'));
  const boards = await t.deps.pipeline.moodBoards(runId);
  t.save((s) => {
    s.moodMessageIds = [];
    s.votes = {};
  });
  for (const board of boards) {
    const id = await t.post(moodCard(board, 0), 'mood', board.index);
    // Each card takes votes the moment it exists: people react as soon as they see it.
    t.save((s) => {
      s.moodMessageIds[board.index] = id;
    });
  }
  t.save((s) => {
    s.busy = false;
  });
  await t.post(moodsPromptCard(), 'other');
  await t.status(statusCard('Mood boards are ready: pick one below.'));
}

async function storyboard(t: ThreadCtx, runId: string) {
  await t.status(statusCard('Planning the storyboard and drawing each scene…'));
  const scenes = await t.deps.pipeline.storyboard(runId);
  const estimate = await t.deps.estimateCost(runId);
  t.save((s) => {
    s.approvals = [];
  });
  const id = await t.post(storyboardCard(scenes, estimate, 0, t.deps.review.approvalsRequired), 'storyboard');
  t.save((s) => {
    s.storyboardMessageId = id;
    s.busy = false;
  });
  await t.status(statusCard('Storyboard ready: approve it to render, or regenerate a scene.'));
}

async function render(t: ThreadCtx, runId: string) {
  const { progress } = t.deps;
  progress.attach(runId, (text) => t.status({ title: '🎬 Rendering', text }));
  try {
    const result = await t.deps.pipeline.render(runId);
    if (!t.state.delivered) {
      const sent = await deliverOnce({
        log: t.deps.deliveries,
        runId,
        adapter: t.adapter,
        thread: t.ref,
        file: {
          path: result.path,
          label: t.state.brief.product ?? 'video',
          title: `Ad: ${t.state.brief.product ?? 'video'}`.slice(0, 100),
          comment: deliveryComment(result, t.deps.spendUsd(runId)),
        },
        mayStart: () => t.state.phase !== 'cancelled',
      });
      if (sent.status === 'refused') throw new CancelledError('the ad was cancelled before delivery');
      t.save((s) => {
        s.delivered = true;
      });
    }
  } finally {
    progress.detach(runId);
  }
  await t.status({ title: '✅ Done', text: 'The video is in this thread. Start another with /adgen.' });
  t.save((s) => {
    s.phase = 'done';
  });
}

const JOBS: Record<JobKind, (t: ThreadCtx, runId: string) => Promise<void>> = {
  moods,
  storyboard,
  rendering: render,
};

/**
 * Runs the background work of the thread's phase. Re-running is safe: pipeline steps are
 * memoised, so after a restart this continues where it stopped.
 */
export async function runJob(t: ThreadCtx, kind: JobKind): Promise<void> {
  const runId = t.state.runId;
  if (!runId) throw new Error(`thread ${t.state.id} has no run`);
  t.save((s) => {
    s.phase = kind;
    s.busy = true;
    s.error = null;
  });
  try {
    await JOBS[kind](t, runId);
    t.save((s) => {
      s.busy = false;
    });
  } catch (err) {
    if (err instanceof CancelledError || t.state.phase === 'cancelled') return;
    const message = reason(err);
    t.deps.log.error('job failed', { thread: t.state.id, kind, error: message });
    t.save((s) => {
      s.busy = false;
      s.phase = 'failed';
      s.failedPhase = kind as Phase;
      s.error = message;
    });
    await t.post(
      errorCard(`The ${kind === 'rendering' ? 'render' : kind} step failed: ${message}`, offerAfter(t, err)),
    );
  }
}
