import { askToCancel, decide, isPaidRender, refreshMoodVotes } from './actions.ts';
import { mention } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import type { ReactionEvent } from './ports.ts';
import { mayAct, refusal } from './review.ts';
import type { MessageLink } from './thread-state.ts';

const VOTE_INDEX: Record<string, number> = { 'vote-1': 0, 'vote-2': 1, 'vote-3': 2 };

/**
 * Team review by reactions. Decisive ones come first and need the requester or a reviewer:
 * ❌ anywhere in the thread (the root message too) cancels; ✅ and 🔁 count on the storyboard
 * card they are put on, checked against its revision like a button. Anyone may vote on the
 * current mood cards: a vote is the team's opinion, not a decision, so it never starts work.
 */
export async function onReaction(t: ThreadCtx, e: ReactionEvent, link: MessageLink): Promise<void> {
  const decisive = e.reaction === 'approve' || e.reaction === 'regenerate' || e.reaction === 'cancel';
  if (decisive) return onDecisive(t, e, link);
  const runId = t.state.runId;
  if (!runId) return;
  const v = await t.deps.workflow.view(runId);
  if (v.phase !== 'moods' || v.working) return;
  const onMoodCard = link.kind === 'mood' && link.rev === v.moodsRev;
  if (!onMoodCard && !(e.reaction in VOTE_INDEX)) return;
  const index = VOTE_INDEX[e.reaction] ?? link.ref;
  const mine = t.state.votes[e.user];
  if (e.added) {
    await t.save((s) => {
      s.votes[e.user] = { rev: v.moodsRev, index };
    });
    if (mine && mine.rev === v.moodsRev && mine.index !== index)
      await refreshMoodVotes(t, v.moodsRev, mine.index);
  } else if (mine?.rev === v.moodsRev && mine.index === index) {
    await t.save((s) => {
      delete s.votes[e.user];
    });
  } else return;
  await refreshMoodVotes(t, v.moodsRev, index);
}

async function onDecisive(t: ThreadCtx, e: ReactionEvent, link: MessageLink): Promise<void> {
  if (!mayAct(t.deps.review, t.state, e.user)) {
    if (e.added) await t.tell(e.user, refusal(t.state, mention));
    return;
  }
  if (e.reaction === 'cancel') {
    if (!e.added) return;
    // A reaction has no dialog: on a paid render ❌ asks first, with a "Yes, cancel" button.
    if (await isPaidRender(t)) return askToCancel(t, e.user);
    await decide(t, e.user, { kind: 'cancel' });
    return;
  }
  if (link.kind !== 'storyboard' || !link.rev) return;
  if (e.reaction === 'approve')
    return decide(t, e.user, {
      kind: e.added ? 'storyboard.approve' : 'storyboard.unapprove',
      rev: link.rev,
    });
  if (e.added) await decide(t, e.user, { kind: 'storyboard.regenerate', rev: link.rev });
}
