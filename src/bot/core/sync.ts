import { PAUSE_CODES } from '../../pipeline/spend.ts';
import type { RunView } from '../../pipeline/view.ts';
import {
  errorCard,
  mention,
  moodCard,
  moodsPromptCard,
  pausedCard,
  statusCard,
  storyboardCard,
} from './card-builders.ts';
import type { Card } from './cards.ts';
import type { ThreadCtx } from './context.ts';
import { postPreview } from './preview-post.ts';
import { tally } from './review.ts';
import { videoCard } from './video-cards.ts';

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

export async function storyboardCardFor(t: ThreadCtx, v: RunView): Promise<Card> {
  const scenes = v.storyboard ?? [];
  const [estimate, budget] = await Promise.all([
    t.deps.workflow.estimate(v.runId),
    t.deps.workflow.budgetCheck(v.runId),
  ]);
  const choices = t.deps.workflow.voiceChoices();
  // Without a speech provider and without a voice, there is nothing to choose: no row.
  const voice =
    choices || v.input.voice
      ? {
          current: v.input.voice,
          voices: choices
            ? [choices.defaultVoice, ...choices.voices.filter((n) => n !== choices.defaultVoice)]
            : [],
        }
      : undefined;
  const card = storyboardCard(scenes, estimate, v.input.approvals.length, v.input.approvalsRequired, voice);
  // Said before anyone approves: the render would pause at the budget, not after paying part.
  if (!budget.ok) card.fields = [...(card.fields ?? []), { label: '⚠️ Over budget', value: budget.message }];
  return card;
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
      // A preview that cannot be posted must not keep the storyboard from being approved.
      await postPreview(t, v).catch((err) =>
        t.deps.log.warn('preview post failed', { thread: t.state.id, error: String(err) }),
      );
      return t.status(
        statusCard(
          v.previewDue
            ? 'Storyboard ready: a free preview is on its way. Approve it to render, or regenerate a scene.'
            : 'Storyboard ready: approve it to render, or regenerate a scene.',
        ),
      );
    }
    case 'render':
    case 'deliver':
      return; // the progress router edits the status while the render runs
    case 'done': {
      // The delivered version's actions; older versions' cards stay (their clicks get a clear answer).
      const rev = v.version.rev;
      const shown = await t.postOnce(`video:${rev}`, () => videoCard(v), v.version.n, rev);
      // After More formats the same version's card is shown again, once: its cost, no spent button.
      const formatsShown = `video:${rev}@${v.input.formats.join('+')}`;
      if (!t.state.cards[formatsShown]) {
        if (!shown.fresh) await t.update(shown.id, videoCard(v)).catch(() => undefined);
        await t.save((s) => {
          s.cards[formatsShown] = shown.id;
        });
      }
      return t.status({
        kind: 'status',
        title: '✅ Done',
        text: 'The video is in this thread. Start another with /adgen.',
      });
    }
    case 'cancelled': {
      // The click's own reply and this sync may race for the status: both name who cancelled.
      const by = await t.deps.workflow.cancelledBy(v.runId).catch(() => null);
      return t.status({
        kind: 'status',
        title: '❌ Cancelled',
        text: `${by ? `Cancelled by ${mention(by)}` : 'This ad was cancelled'}. Start again with /adgen.`,
      });
    }
    case 'failed': {
      if (PAUSE_CODES.has(v.errorCode ?? '')) {
        const message = v.error ?? 'Paused: the budget is used up.';
        await t.postOnce(`paused:${v.updatedAt}`, () => pausedCard(message));
        return t.status({ kind: 'status', title: '⏸️ Paused', text: message.slice(0, 300) });
      }
      const what = WHAT[v.workPhase ?? 'render'] ?? 'last';
      const message = `The ${what} step failed: ${v.error ?? 'unknown error'}`;
      await t.postOnce(`error:${v.updatedAt}`, () => errorCard(message, offerAfter(v)));
      return t.status({ kind: 'status', title: '⚠️ Stopped', text: message.slice(0, 300) });
    }
  }
}
