import { type Decision, judge } from '../../pipeline/decisions.ts';
import { newRunInput, VoiceNameSchema } from '../../pipeline/run-input.ts';
import { BriefSchema } from '../../pipeline/schemas.ts';
import type { DecideResult } from '../../pipeline/workflow.ts';
import { brandOf } from './brand-flow.ts';
import { EDIT_HINT } from './brief-flow.ts';
import { CANCEL_CONFIRMED, confirmCancelCard, mention, moodCard } from './card-builders.ts';
import type { Action } from './cards.ts';
import type { ThreadCtx } from './context.ts';
import { kick } from './drive.ts';
import { mayAct, refusal } from './review.ts';
import { moodVotes, storyboardCardFor } from './sync.ts';
import type { MessageLink } from './thread-state.ts';
import { takeConfirmCard, videoCard } from './video-cards.ts';

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
    case 'voice.choose': {
      const v = value.trim();
      const voice = v === 'none' ? null : VoiceNameSchema.safeParse(v).success ? v : undefined;
      return voice === undefined
        ? 'That voice choice is not valid; use the latest storyboard.'
        : { kind: 'voice.choose', rev, voice };
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
    case 'job.continue':
      return { kind: 'render.continue' };
    case 'video.take_confirm':
      return { kind: 'video.new_take', rev };
    case 'video.change_music':
      return { kind: 'video.change_music', rev };
    case 'video.final':
      return { kind: 'video.final', rev };
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
      // Work started from the finished ad (a new version, More formats) went back to it.
      if (v.phase === 'done') {
        await t.say(`↩️ ${mention(user)} cancelled: ${r.summary ?? 'the finished video stays as it was.'}`);
        break;
      }
      await t.status({
        kind: 'status',
        title: '❌ Cancelled',
        text: `Cancelled by ${mention(user)}. Start again with /adgen.`,
      });
      break;
    case 'voice.choose':
      await t.say(
        d.voice
          ? `🎙️ ${mention(user)} chose the voice ${d.voice} for the voice-over; the storyboard needs approving again.`
          : `🔇 ${mention(user)} turned the voice-over off (the on-screen words are the captions); the storyboard needs approving again.`,
      );
      break;
    case 'render.continue':
      await t.say(`▶️ ${mention(user)} pressed Continue; picking up where the render paused.`);
      break;
    case 'render.draft':
      await t.say('Rendering as draft (720x1280) so the video fits this chat’s upload limit.');
      break;
    case 'video.new_take':
    case 'video.change_music':
    case 'video.final': {
      const n = v.version.n;
      const what = {
        'video.new_take': 'a new take: the same storyboard with new clips',
        'video.change_music': 'new music; the clips stay as they are',
        'video.final': 'the same clips re-composed at final quality (1080x1920)',
      }[d.kind];
      await t.say(`🎬 ${mention(user)} asked for v${n}: ${what}. Earlier versions stay above.`);
      // The thread was closed when the last version was done: a restart must resume this one.
      await t.deps.threads.reopen(t.state.id);
      break;
    }
    case 'formats.more': {
      const added = v.input.formats.slice(1).map((f) => f.replace('x', ':'));
      const note = `📐 ${mention(user)} asked for more formats: composing ${added.join(', ')} from the same clips…`;
      // The button is spent: a second press must not look like it could start another copy.
      const id = t.state.cards[`video:${d.rev}`];
      if (id) await t.update(id, videoCard(v, note)).catch(() => undefined);
      else await t.say(note);
      // The thread was closed when the version was done: a restart must resume this work.
      await t.deps.threads.reopen(t.state.id);
      break;
    }
    default:
      break;
  }
  await kick(t);
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
    workspace: s.workspace ?? s.platform,
    approvalsRequired: t.deps.review.approvalsRequired,
    // A copy of the kit as it is now: changing it later never changes this ad.
    brand: (await brandOf(t)) ?? null,
    voice: t.deps.workflow.voiceChoices()?.defaultVoice ?? null,
  });
  const id = `run-${s.id.replace(/[^a-zA-Z0-9]+/g, '-')}`.slice(0, 80);
  await t.deps.workflow.createRun(id, input);
  await t.save((x) => {
    x.runId = id;
    x.stage = 'run';
  });
  await kick(t);
}

/** Whether cancelling now would throw away paid work: a render under way, or money spent. */
export async function isPaidRender(t: ThreadCtx): Promise<boolean> {
  const runId = t.state.runId;
  if (!runId) return false;
  const v = await t.deps.workflow.view(runId);
  // Finished, or the video already on its way (a cancel is refused then): nothing to confirm.
  if (v.phase === 'done' || v.phase === 'cancelled' || v.input.deliveryStarted) return false;
  return v.phase === 'render' || v.phase === 'deliver' || (await t.deps.workflow.spendUsd(runId)) > 0;
}

/** The follow-up question before a paid render is cancelled (its "Yes" is a job.cancel click). */
export function askToCancel(t: ThreadCtx, user: string): Promise<void> {
  const card = confirmCancelCard();
  return t.adapter.postPrivateCard
    ? t.adapter.postPrivateCard(t.ref, user, card)
    : t.post({ ...card, text: `${mention(user)} ${card.text}` }).then(() => undefined);
}

const DIRECT_HINT =
  'Reply with the change in words, e.g. “scene 2 at night, keep the rest”, “shorter hook”, ' +
  '“swap scenes 3 and 4”, “end with ‘Try it free’”, “calmer music”, “no voice-over”, “add 1:1”.';

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
  // Slack's confirm dialog already asked; elsewhere the first click on Cancel asks with "Yes".
  if (
    action === 'job.cancel' &&
    value !== CANCEL_CONFIRMED &&
    !t.adapter.confirmsNatively &&
    (await isPaidRender(t))
  )
    return askToCancel(t, user);
  if (action === 'brief.confirm') return confirmBrief(t, user, link);
  if (action === 'brief.edit') return void (await t.say(EDIT_HINT));
  // Where the platform has no modal (the terminal), the button says how to direct in words.
  if (action === 'ad.edit') return void (await t.say(DIRECT_HINT));
  if (!t.state.runId) return t.tell(user, 'That button belongs to a later step; finish the brief first.');
  const needsCard = !['job.cancel', 'job.retry', 'render.draft', 'job.continue'].includes(action);
  if (needsCard && (!link || link.rev === null)) return t.tell(user, STALE_CARD);
  if (action === 'video.new_take') return offerNewTake(t, user, link?.rev ?? '');
  const d = decisionFor(action, value, link?.rev ?? '');
  if (typeof d === 'string') return t.tell(user, d);
  await decide(t, user, d);
}

/**
 * "New take" pays for every clip again, so it is a question first: the estimate, and a Confirm
 * button on a card of the same version revision (the confirm is the decision). A click that the
 * decision would refuse (an older version's card, a version still rendering) is answered now.
 */
async function offerNewTake(t: ThreadCtx, user: string, rev: string): Promise<void> {
  const runId = t.state.runId!;
  const v = await t.deps.workflow.view(runId);
  const verdict = judge(v, { kind: 'video.new_take', rev }, user);
  if (!verdict.ok) return t.tell(user, verdict.message);
  const estimate = await t.deps.workflow.estimateNewTake(runId);
  const shown = await t.postOnce(`take-confirm:${rev}`, () => takeConfirmCard(v, estimate), v.version.n, rev);
  if (!shown.fresh) await t.tell(user, 'The estimate for a new take is in the thread; press Confirm there.');
}

/** Re-renders one mood card with its current vote count, from the read-only view. */
export async function refreshMoodVotes(t: ThreadCtx, rev: string, index: number): Promise<void> {
  const id = t.state.cards[`mood:${rev}:${index}`];
  const runId = t.state.runId;
  if (!id || !runId) return;
  const board = (await t.deps.workflow.view(runId)).moods?.[index];
  if (board) await t.update(id, moodCard(board, moodVotes(t, rev)[index] ?? 0));
}
