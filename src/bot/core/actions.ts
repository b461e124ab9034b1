import { z } from 'zod';
import { newRunInput } from '../../pipeline/run-input.ts';
import { BriefSchema } from '../../pipeline/schemas.ts';
import { EDIT_HINT } from './brief-flow.ts';
import { mention, moodCard } from './card-builders.ts';
import type { Action } from './cards.ts';
import type { ThreadCtx } from './context.ts';
import { type JobKind, runJob } from './jobs.ts';
import { addApproval, mayAct, refusal, tally } from './review.ts';
import type { Phase } from './thread-state.ts';

const indexValue = (max: number) => z.coerce.number().int().min(0).max(max);

/** Which phase each action belongs to: a click on an old card gets an explanation, not an effect. */
const PHASE_OF: Record<Action, Phase[]> = {
  'brief.confirm': ['brief_review'],
  'brief.edit': ['brief_review'],
  'mood.select': ['moods'],
  'mood.regenerate': ['moods'],
  'storyboard.approve': ['storyboard'],
  'storyboard.regenerate': ['storyboard'],
  'scene.regenerate': ['storyboard'],
  'job.retry': ['failed'],
  'render.draft': ['failed'],
  'job.cancel': ['brief', 'brief_review', 'moods', 'storyboard', 'rendering', 'failed'],
};

export function startJob(t: ThreadCtx, kind: JobKind): void {
  void runJob(t, kind).catch((err) =>
    t.deps.log.error('job crashed', { thread: t.state.id, error: String(err) }),
  );
}

export async function cancelThread(t: ThreadCtx, user: string): Promise<void> {
  if (t.state.runId) t.deps.pipeline.cancel(t.state.runId);
  t.save((s) => {
    s.phase = 'cancelled';
    s.busy = false;
  });
  await t.status({ title: '❌ Cancelled', text: `Cancelled by ${mention(user)}. Start again with /adgen.` });
}

export async function approve(t: ThreadCtx, user: string): Promise<void> {
  const ready = addApproval(t.deps.review, t.state, user);
  t.save();
  const need = t.deps.review.approvalsRequired;
  if (!ready) {
    await t.say(`✅ ${mention(user)} approved (${t.state.approvals.length}/${need}).`);
    return;
  }
  await t.say(
    `✅ Approved by ${t.state.approvals.map(mention).join(', ')}. Rendering now; this takes a few minutes.`,
  );
  startJob(t, 'rendering');
}

export async function onAction(t: ThreadCtx, user: string, action: Action, value: string): Promise<void> {
  const s = t.state;
  if (!mayAct(t.deps.review, s, user)) return t.tell(user, refusal(s, mention));
  if (!PHASE_OF[action].includes(s.phase)) {
    const why =
      s.phase === 'done' || s.phase === 'cancelled'
        ? `This ad is ${s.phase === 'done' ? 'finished' : 'cancelled'}. Start a new one with /adgen.`
        : 'That button belongs to an earlier step of this thread; use the latest card.';
    return t.tell(user, why);
  }
  if (s.busy && action !== 'job.cancel') return t.tell(user, 'Still working on the last step; one moment.');
  const pipeline = t.deps.pipeline;
  const runId = s.runId ?? '';
  switch (action) {
    case 'brief.confirm': {
      const brief = BriefSchema.parse(s.brief);
      const input = newRunInput(brief, {
        profile: t.deps.profile,
        maxBytes: t.adapter.uploadLimitBytes(t.ref),
        mode: 'chat',
      });
      const id = `run-${s.id.replace(/[^a-zA-Z0-9]+/g, '-')}`.slice(0, 80);
      pipeline.createRun(id, input);
      t.save((x) => {
        x.runId = id;
      });
      return startJob(t, 'moods');
    }
    case 'brief.edit':
      return void (await t.say(EDIT_HINT));
    case 'mood.select': {
      const index = indexValue(2).parse(value);
      pipeline.chooseMood(runId, index);
      await t.say(`🎨 ${mention(user)} picked direction ${index + 1}. Planning the storyboard…`);
      return startJob(t, 'storyboard');
    }
    case 'mood.regenerate':
      pipeline.regenerateMoods(runId);
      return startJob(t, 'moods');
    case 'storyboard.approve':
      return approve(t, user);
    case 'storyboard.regenerate':
      pipeline.regenerateStoryboard(runId);
      return startJob(t, 'storyboard');
    case 'scene.regenerate': {
      const index = indexValue(6).parse(value);
      pipeline.regenerateScene(runId, index);
      await t.say(`🔁 Regenerating scene ${index + 1}; the other scenes stay as they are.`);
      return startJob(t, 'storyboard');
    }
    case 'job.retry':
      return startJob(t, (s.failedPhase as JobKind | null) ?? 'rendering');
    case 'render.draft':
      pipeline.setProfile(runId, 'draft');
      await t.say('Rendering as draft (720x1280) so the video fits this chat’s upload limit.');
      return startJob(t, 'rendering');
    case 'job.cancel':
      return cancelThread(t, user);
  }
}

/** Re-renders one mood card with its current vote count. */
export async function refreshMoodVotes(t: ThreadCtx, index: number): Promise<void> {
  const id = t.state.moodMessageIds[index];
  if (!id || !t.state.runId) return;
  const boards = await t.deps.pipeline.moodBoards(t.state.runId);
  const board = boards[index];
  if (board) await t.update(id, moodCard(board, tally(t.state)[index] ?? 0));
}
