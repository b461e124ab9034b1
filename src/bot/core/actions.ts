import type { Decision } from '../../pipeline/decisions.ts';
import { newRunInput } from '../../pipeline/run-input.ts';
import { BriefSchema } from '../../pipeline/schemas.ts';
import type { DecideResult } from '../../pipeline/workflow.ts';
import { EDIT_HINT } from './brief-flow.ts';
import { mention, moodCard } from './card-builders.ts';
import type { Action } from './cards.ts';
import type { ThreadCtx } from './context.ts';
import { kick } from './drive.ts';
import { mayAct, refusal } from './review.ts';
import { moodVotes, storyboardCardFor } from './sync.ts';
import type { MessageLink } from './thread-state.ts';

const STALE_CARD = 'This card was replaced by a newer one; use the latest card in the thread.';

/** A scene or mood number from a button value: small whole numbers only, said plainly otherwise. */
function indexOf(value: string): number | null {
  return /^\d{1,2}$/.test(value.trim()) ? Number(value.trim()) : null;
}

/** The decision a button stands for, made on the card revision of the message it sits on. */
function decisionFor(action: Action, value: string, rev: string): Decision | string {
  switch (action) {
    case 'mood.select': {
      const index = indexOf(value);
      return index === null
        ? 'That mood button is not valid; use the latest card.'
        : { kind: 'mood.choose', rev, index };
    }
    case 'scene.regenerate': {
      const index = indexOf(value);
      return index === null
        ? 'That scene choice is not valid; use the latest storyboard.'
        : { kind: 'scene.regenerate', rev, index };
    }
    case 'mood.regenerate':
      return { kind: 'moods.regenerate', rev };
    case 'storyboard.approve':
      return { kind: 'storyboard.approve', rev };
    case 'storyboard.regenerate':
      return { kind: 'storyboard.regenerate', rev };
    case 'job.retry':
      return { kind: 'render.retry' };
    case 'render.draft':
      return { kind: 'render.draft' };
    case 'job.cancel':
      return { kind: 'cancel' };
    case 'video.formats':
      return { kind: 'formats.more', rev };
    default:
      return 'That button belongs to the brief; use the latest brief card.';
  }
}

/** Says what a stored decision means, then lets the workflow act on it. */
export async function afterDecision(t: ThreadCtx, user: string, d: Decision, r: DecideResult): Promise<void> {
  if (!r.ok) {
    // A thread is closed once its video is delivered, so a restart does not resume its More
    // formats work: a press while that work waits gets it going again (drive joins live work).
    if (d.kind === 'formats.more' && r.view.working) kick(t);
    return t.tell(user, r.message);
  }
  const v = r.view;
  switch (d.kind) {
    case 'mood.choose':
      await t.say(`🎨 ${mention(user)} picked direction ${d.index + 1}. Planning the storyboard…`);
      break;
    case 'scene.regenerate':
      await t.say(`🔁 Regenerating scene ${d.index + 1}; the other scenes stay as they are.`);
      break;
    case 'storyboard.approve':
    case 'storyboard.unapprove': {
      const a = r.approvals;
      if (a?.reached) {
        await t.say(
          `✅ Approved by ${v.input.approvals.map(mention).join(', ')}. Rendering now; this takes a few minutes.`,
        );
        break;
      }
      const id = t.state.cards[`storyboard:${d.rev}`];
      if (id) await t.update(id, await storyboardCardFor(t, v)).catch(() => undefined);
      if (d.kind === 'storyboard.approve')
        await t.say(`✅ ${mention(user)} approved (${a?.count}/${a?.needed}).`);
      return;
    }
    case 'cancel':
      await t.status({
        kind: 'status',
        title: '❌ Cancelled',
        text: `Cancelled by ${mention(user)}. Start again with /adgen.`,
      });
      break;
    case 'render.draft':
      await t.say('Rendering as draft (720x1280) so the video fits this chat’s upload limit.');
      break;
    case 'formats.more': {
      const added = v.input.formats.slice(1).map((f) => f.replace('x', ':'));
      // The button is spent: a second press must not look like it could start another copy.
      const id = t.state.cards[`video:${d.rev}`];
      const note = `📐 ${mention(user)} asked for more formats: composing ${added.join(', ')} from the same clips…`;
      if (id)
        await t.update(id, { kind: 'video', title: '🎬 Your video', text: note }).catch(() => undefined);
      else await t.say(note);
      break;
    }
    default:
      break;
  }
  kick(t);
}

export async function decide(t: ThreadCtx, user: string, d: Decision): Promise<void> {
  const runId = t.state.runId;
  if (!runId && d.kind === 'cancel') {
    // Before the brief is confirmed there is no run: the thread itself is what stops.
    await t.save((s) => {
      s.stage = 'closed';
    });
    return t.status({
      kind: 'status',
      title: '❌ Cancelled',
      text: `Cancelled by ${mention(user)}. Start again with /adgen.`,
    });
  }
  if (!runId) return t.tell(user, 'This thread has no ad yet; confirm the brief first.');
  await afterDecision(t, user, d, await t.deps.workflow.decide(runId, user, d));
}

async function confirmBrief(t: ThreadCtx, user: string, link: MessageLink | undefined): Promise<void> {
  const s = t.state;
  if (s.stage !== 'brief_review')
    return t.tell(user, 'That brief was already confirmed; use the latest card.');
  if (!link || link.rev !== s.briefRev) return t.tell(user, STALE_CARD);
  const brief = BriefSchema.parse(s.brief);
  const input = newRunInput(brief, {
    profile: t.deps.profile,
    maxBytes: t.adapter.uploadLimitBytes(t.ref),
    mode: 'chat',
    requester: s.requester,
    approvalsRequired: t.deps.review.approvalsRequired,
  });
  const id = `run-${s.id.replace(/[^a-zA-Z0-9]+/g, '-')}`.slice(0, 80);
  await t.deps.workflow.createRun(id, input);
  await t.save((x) => {
    x.runId = id;
    x.stage = 'run';
  });
  kick(t);
}

/** A button press: checked against who may steer and against the card it was pressed on. */
export async function onAction(
  t: ThreadCtx,
  user: string,
  action: Action,
  value: string,
  link: MessageLink | undefined,
): Promise<void> {
  if (!mayAct(t.deps.review, t.state, user)) return t.tell(user, refusal(t.state, mention));
  if (t.state.stage === 'closed') return t.tell(user, 'This ad was cancelled. Start a new one with /adgen.');
  if (action === 'job.cancel' && !t.state.runId) return decide(t, user, { kind: 'cancel' });
  if (action === 'brief.confirm') return confirmBrief(t, user, link);
  if (action === 'brief.edit') return void (await t.say(EDIT_HINT));
  if (!t.state.runId) return t.tell(user, 'That button belongs to a later step; finish the brief first.');
  const needsCard = action !== 'job.cancel' && action !== 'job.retry' && action !== 'render.draft';
  if (needsCard && (!link || link.rev === null)) return t.tell(user, STALE_CARD);
  const d = decisionFor(action, value, link?.rev ?? '');
  if (typeof d === 'string') return t.tell(user, d);
  await decide(t, user, d);
}

/** Re-renders one mood card with its current vote count, from the read-only view. */
export async function refreshMoodVotes(t: ThreadCtx, rev: string, index: number): Promise<void> {
  const id = t.state.cards[`mood:${rev}:${index}`];
  const runId = t.state.runId;
  if (!id || !runId) return;
  const board = (await t.deps.workflow.view(runId)).moods?.[index];
  if (board) await t.update(id, moodCard(board, moodVotes(t, rev)[index] ?? 0));
}
