import { approve, cancelThread, refreshMoodVotes, startJob } from './actions.ts';
import { mention } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import type { ReactionEvent } from './ports.ts';
import { mayAct, refusal, removeApproval } from './review.ts';
import type { MessageKind } from './thread-state.ts';

const VOTE_INDEX = { 'vote-1': 0, 'vote-2': 1, 'vote-3': 2 } as Record<string, number>;

/**
 * Team review by reactions: anyone may vote on a mood card; approving (✅), regenerating (🔁)
 * and cancelling (❌) need the requester or a reviewer, like buttons do.
 */
export async function onReaction(
  t: ThreadCtx,
  e: ReactionEvent,
  link: { kind: MessageKind; ref: number },
): Promise<void> {
  const s = t.state;
  // 2️⃣ anywhere in the thread is a vote for mood 2; any other reaction on a mood card votes for it.
  const onMoodCard = link.kind === 'mood' && s.moodMessageIds.includes(e.messageId);
  if (s.phase === 'moods' && s.moodMessageIds.length > 0 && (onMoodCard || e.reaction in VOTE_INDEX)) {
    const index = VOTE_INDEX[e.reaction] ?? link.ref;
    if (e.added) s.votes[e.user] = index;
    else if (s.votes[e.user] === index) delete s.votes[e.user];
    else return;
    t.save();
    await refreshMoodVotes(t, index);
    return;
  }
  const decisive = e.reaction === 'approve' || e.reaction === 'regenerate' || e.reaction === 'cancel';
  if (!decisive) return;
  if (!mayAct(t.deps.review, s, e.user)) {
    if (e.added) await t.tell(e.user, refusal(s, mention));
    return;
  }
  if (e.reaction === 'cancel' && e.added) {
    if (s.phase !== 'done' && s.phase !== 'cancelled') await cancelThread(t, e.user);
    return;
  }
  if (s.phase !== 'storyboard' || e.messageId !== s.storyboardMessageId || s.busy) return;
  if (e.reaction === 'approve') {
    if (e.added) await approve(t, e.user);
    else {
      removeApproval(s, e.user);
      t.save();
    }
    return;
  }
  if (e.added && s.runId) {
    t.deps.pipeline.regenerateStoryboard(s.runId);
    startJob(t, 'storyboard');
  }
}
