import type { Refusal, Verdict } from '../decisions.ts';
import { nextVersion } from '../video-decisions.ts';
import type { RunView } from '../view.ts';
import { applyEdit } from './apply.ts';
import type { Edit } from './schema.ts';

/** An edit decision: the typed edit and the card revision it was read against. */
export interface EditDecision {
  kind: 'edit.apply';
  rev: string;
  edit: Edit;
  /** The speech provider's configured voice, for "add a voice-over" (the judge is pure). */
  defaultVoice?: string | null;
}

const refuse = (refusal: Refusal, message: string): Verdict => ({ ok: false, refusal, message });

/** Whoever started the ad, and the configured reviewers (`*` = everyone), may steer it. */
export function maySteer(requester: string, actor: string, reviewers: readonly string[]): boolean {
  return actor === requester || reviewers.includes('*') || reviewers.includes(actor);
}

/** The card an edit is read against: the mood boards before a mood is picked, else the storyboard. */
export const editRev = (v: RunView): string => (v.input.moodChoice === null ? v.moodsRev : v.storyboardRev);

/**
 * Pure, like every decision: whether an edit applies now and the state it leads to. Phase rules:
 * mood boards take brief edits; the storyboard takes all; during a render nothing (it is paid
 * work in flight); after the video an edit starts the next version from a storyboard to approve;
 * after a failed render it goes back to the storyboard, as "regenerate scene" does.
 */
export function judgeEdit(v: RunView, d: EditDecision, actor: string, reviewers: readonly string[]): Verdict {
  const i = v.input;
  if (!maySteer(i.requester, actor, reviewers))
    return refuse(
      'not_allowed',
      'Only the person who started this ad and the configured reviewers can change it; ask them, ' +
        'or ask an admin to add you to ADGEN_REVIEWERS.',
    );
  if (v.phase === 'cancelled')
    return refuse('finished', 'This ad was cancelled. Start a new one with /adgen.');
  if (v.phase === 'render' || v.phase === 'deliver')
    return refuse(
      'busy',
      'The video is being made right now, so I can’t change it mid-way. Send the change once it is ' +
        'posted (it makes the next version), or cancel with ❌.',
    );
  const failedBefore = v.phase === 'failed' && v.workPhase !== 'render';
  if (v.working || failedBefore)
    return refuse(
      'busy',
      failedBefore
        ? 'The last step failed; press Try again first, then send the change.'
        : 'Still working on the last step; send the change in a moment.',
    );
  if (d.rev !== editRev(v)) return refuse('stale', 'The ad changed while I read that; please say it again.');
  if (v.phase === 'moods' && d.edit.target !== 'brief')
    return refuse(
      'wrong_phase',
      'There is no storyboard yet: pick a mood board first. Until then I can change the brief (e.g. "make the audience students").',
    );
  const chosen = i.moodChoice === null ? undefined : v.moods?.[i.moodChoice];
  const r = applyEdit(
    {
      input: i,
      scenes: v.storyboard?.map((s) => s.scene) ?? null,
      moodTempoBpm: chosen?.mood.tempoBpm ?? null,
      defaultVoice: d.defaultVoice ?? null,
    },
    d.edit,
  );
  if (!r.ok) return refuse('invalid', r.reason);
  const edited = { ...r.next, approvals: [], approvedRev: null, deliveryStarted: false };
  // After the video the edit makes the next version: the one on show joins the history (its
  // file and message stay), the edit's one line says what changes, as the video card's actions do.
  const next = v.phase === 'done' ? { ...edited, ...nextVersion(v, r.summary) } : edited;
  // After the video or a failed render the run waits for people again, on the edited storyboard.
  const back = v.phase === 'done' || v.phase === 'failed';
  return { ok: true, next, status: back ? 'waiting' : undefined, summary: r.summary };
}
