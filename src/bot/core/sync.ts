import { FORMATS } from '../../pipeline/media/formats.ts';
import type { RunView } from '../../pipeline/view.ts';
import {
  errorCard,
  moodCard,
  moodsPromptCard,
  statusCard,
  storyboardCard,
  videoActionsCard,
} from './card-builders.ts';
import type { Card } from './cards.ts';
import type { ThreadCtx } from './context.ts';
import { tally } from './review.ts';

/** What people can do next after a failure: try again, or (too big to upload) render as draft. */
function offerAfter(v: RunView): 'retry' | 'draft' | 'none' {
  if (v.errorCode !== 'size_target_unreachable' && v.errorCode !== 'size_target_missed') return 'retry';
  return v.input.profile === 'final' ? 'draft' : 'none';
}

const WHAT: Record<string, string> = {
  moods: 'mood boards',
  storyboard: 'storyboard',
  render: 'render',
  deliver: 'upload',
};

const replaced = (what: string): Card => ({
  kind: 'replaced',
  title: '↩️ Replaced',
  text: `This ${what} was replaced by a newer one below.`,
});

/** Older cards of a kind lose their buttons once a newer revision is shown (clicks there would be stale). */
async function retireOlder(t: ThreadCtx, prefix: string, current: string, what: string): Promise<void> {
  for (const [key, id] of Object.entries(t.state.cards)) {
    const isCurrent = key === current || key.startsWith(`${current}:`);
    if (!key.startsWith(prefix) || isCurrent || t.state.cards[`retired:${key}`]) continue;
    await t.update(id, replaced(what)).catch(() => undefined);
    await t.save((s) => {
      s.cards[`retired:${key}`] = id;
    });
  }
}

export function storyboardCardFor(t: ThreadCtx, v: RunView): Promise<Card> {
  const scenes = v.storyboard ?? [];
  return t.deps.workflow
    .estimate(v.runId)
    .then((estimate) =>
      storyboardCard(scenes, estimate, v.input.approvals.length, v.input.approvalsRequired),
    );
}

export function moodVotes(t: ThreadCtx, rev: string): number[] {
  const votes = Object.fromEntries(
    Object.entries(t.state.votes)
      .filter(([, v]) => v.rev === rev)
      .map(([u, v]) => [u, v.index]),
  );
  return tally({ votes });
}

/**
 * Makes the thread show the ad as the view says: each card revision posted once (a restart
 * posts what is missing and nothing twice), older revisions retired, the status message current.
 * Reads the view only: it can never start a step.
 */
export async function syncThread(t: ThreadCtx, v: RunView): Promise<void> {
  switch (v.phase) {
    case 'moods': {
      if (v.working || !v.moods) return t.status(statusCard('Creating three mood boards…'));
      const votes = moodVotes(t, v.moodsRev);
      for (const board of v.moods) {
        await t.postOnce(
          `mood:${v.moodsRev}:${board.index}`,
          () => moodCard(board, votes[board.index] ?? 0),
          board.index,
          v.moodsRev,
        );
      }
      await t.postOnce(`moods-prompt:${v.moodsRev}`, moodsPromptCard, 0, v.moodsRev);
      await retireOlder(t, 'mood:', `mood:${v.moodsRev}`, 'mood board');
      await retireOlder(t, 'moods-prompt:', `moods-prompt:${v.moodsRev}`, 'choice');
      return t.status(statusCard('Mood boards are ready: vote with reactions, then press Select on one.'));
    }
    case 'storyboard': {
      if (v.working || !v.storyboard)
        return t.status(statusCard('Planning the storyboard and drawing each scene…'));
      const key = `storyboard:${v.storyboardRev}`;
      await t.postOnce(key, () => storyboardCardFor(t, v), 0, v.storyboardRev);
      await retireOlder(t, 'storyboard:', key, 'storyboard');
      return t.status(statusCard('Storyboard ready: approve it to render, or regenerate a scene.'));
    }
    case 'render':
    case 'deliver':
      return; // the progress router edits the status while the render runs
    case 'done': {
      // Under the video: what can be done with it next (posted once per rendered video).
      const card = videoActionsCard(FORMATS.filter((f) => !v.input.formats.includes(f)));
      if (card) await t.postOnce(`video:${v.videoRev}`, () => card, 0, v.videoRev);
      return t.status({
        kind: 'status',
        title: '✅ Done',
        text: 'The video is in this thread. Start another with /adgen.',
      });
    }
    case 'cancelled':
      return t.status({
        kind: 'status',
        title: '❌ Cancelled',
        text: 'This ad was cancelled. Start again with /adgen.',
      });
    case 'failed': {
      const what = WHAT[v.workPhase ?? 'render'] ?? 'last';
      const message = `The ${what} step failed: ${v.error ?? 'unknown error'}`;
      await t.postOnce(`error:${v.updatedAt}`, () => errorCard(message, offerAfter(v)));
      return t.status({ kind: 'status', title: '⚠️ Stopped', text: message.slice(0, 300) });
    }
  }
}
