import { z } from 'zod';
import { judgeEdit } from './edits/judge.ts';
import { keepOnlyDuration, sourceOf } from './edits/overrides.ts';
import { EditSchema } from './edits/schema.ts';
import { backToFinished, finishedBefore, rememberFinished } from './finished-state.ts';
import { FORMATS } from './media/formats.ts';
import { type RunInput, VoiceNameSchema } from './run-input.ts';
import { PAUSE_CODES } from './spend.ts';
import type { Transactional } from './stores.ts';
import { judgeVideo } from './video-decisions.ts';
import type { RunView } from './view.ts';

/**
 * What people decide about an ad. A decision names the card revision it was made on, so a click
 * on a replaced card is refused instead of acting on whatever is current (Temporal signals,
 * inngest `waitForEvent`: human input is data recorded in the run's history before any reply).
 */
export const DecisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mood.choose'), rev: z.string(), index: z.number().int().min(0) }),
  z.object({ kind: z.literal('moods.regenerate'), rev: z.string() }),
  z.object({ kind: z.literal('storyboard.approve'), rev: z.string() }),
  z.object({ kind: z.literal('storyboard.unapprove'), rev: z.string() }),
  z.object({ kind: z.literal('storyboard.regenerate'), rev: z.string() }),
  z.object({ kind: z.literal('scene.regenerate'), rev: z.string(), index: z.number().int().min(0) }),
  /** The voice-over's voice, or none (null): a change to the storyboard, approved again. */
  z.object({ kind: z.literal('voice.choose'), rev: z.string(), voice: VoiceNameSchema.nullable() }),
  z.object({ kind: z.literal('render.retry') }),
  z.object({ kind: z.literal('render.draft') }),
  /** Picks up a run paused by spend control (spend.ts PAUSE_CODES) where it stopped. */
  z.object({ kind: z.literal('render.continue') }),
  z.object({ kind: z.literal('cancel') }),
  /** A change asked for in words (edits/): judged against the card revision it was read on. */
  z.object({
    kind: z.literal('edit.apply'),
    rev: z.string(),
    edit: EditSchema,
    defaultVoice: VoiceNameSchema.nullable().optional(),
  }),
  // Actions on a delivered version's video card (revision `v<n>`): each makes the next version.
  z.object({ kind: z.literal('video.new_take'), rev: z.string() }),
  z.object({ kind: z.literal('video.change_music'), rev: z.string() }),
  z.object({ kind: z.literal('video.final'), rev: z.string() }),
  /** The other formats of a delivered ad, from its stored clips; `rev` names the video card. */
  z.object({ kind: z.literal('formats.more'), rev: z.string() }),
]);
export type Decision = z.infer<typeof DecisionSchema>;

export type Refusal = 'stale' | 'wrong_phase' | 'busy' | 'invalid' | 'finished' | 'too_late' | 'not_allowed';

export type Verdict =
  | {
      ok: true;
      /** The run's new state, stored with the decision in one transaction. */
      next: RunInput;
      /** A status change that goes with it (cancel, retry; back to the finished ad). */
      status?: 'cancelled' | 'waiting' | 'succeeded';
      /** For approvals: how many there are now and whether the quorum was reached. */
      approvals?: { count: number; needed: number; reached: boolean };
      /** For edits: the one line saying what changes. */
      summary?: string;
    }
  | { ok: false; refusal: Refusal; message: string };

const refuse = (refusal: Refusal, message: string): Verdict => ({ ok: false, refusal, message });

const STALE = 'This card was replaced by a newer one; use the latest card in the thread.';
const BUSY = 'Still working on the last step; one moment.';

function phaseRefusal(v: RunView): Verdict {
  if (v.phase === 'done') return refuse('finished', 'This ad is finished. Start a new one with /adgen.');
  if (v.phase === 'cancelled')
    return refuse('finished', 'This ad was cancelled. Start a new one with /adgen.');
  return refuse('wrong_phase', 'That belongs to an earlier step of this ad; use the latest card.');
}

/**
 * Pure: whether `d` by `actor` applies to the ad as it is now, and the state it leads to.
 * `reviewers` (besides the requester) may steer; buttons are checked by the bot, edits here too.
 */
export function judge(v: RunView, d: Decision, actor: string, reviewers: readonly string[] = []): Verdict {
  const verdict = judgeNow(v, d, actor, reviewers);
  // Work started from a finished ad (a new version, More formats) remembers it, so cancelling
  // that work goes back to it; the copy carries no `finished` of its own.
  if (verdict.ok && v.phase === 'done' && d.kind !== 'cancel')
    return { ...verdict, next: rememberFinished(v.input, verdict.next) };
  return verdict;
}

function judgeNow(v: RunView, d: Decision, actor: string, reviewers: readonly string[]): Verdict {
  const i = v.input;
  switch (d.kind) {
    case 'edit.apply':
      return judgeEdit(v, d, actor, reviewers);
    case 'mood.choose':
    case 'moods.regenerate': {
      if (v.phase !== 'moods') return phaseRefusal(v);
      if (d.rev !== v.moodsRev) return refuse('stale', STALE);
      if (v.working || !v.moods) return refuse('busy', BUSY);
      if (d.kind === 'moods.regenerate')
        return {
          ok: true,
          next: {
            ...i,
            moodsRev: i.moodsRev + 1,
            moodChoice: null,
            storyboardRev: 0,
            sceneRevs: {},
            sceneEdits: {},
            sceneOrder: null,
          },
        };
      if (d.index >= v.moods.length) return refuse('invalid', `There is no mood board ${d.index + 1}.`);
      return { ok: true, next: { ...i, moodChoice: d.index, approvals: [] } };
    }
    case 'storyboard.approve':
    case 'storyboard.unapprove':
    case 'storyboard.regenerate':
    case 'scene.regenerate':
    case 'voice.choose': {
      // After a failed render the storyboard is still on show: regenerating a scene (e.g. the one
      // a content filter refused) goes back to the storyboard, to be approved again.
      const renderFailed = v.phase === 'failed' && v.workPhase === 'render';
      const remake =
        d.kind === 'scene.regenerate' || d.kind === 'storyboard.regenerate' || d.kind === 'voice.choose';
      if (v.phase !== 'storyboard' && !(renderFailed && remake)) {
        if (d.kind === 'storyboard.unapprove' && i.approvedRev === d.rev)
          return refuse('too_late', 'The storyboard already has its approvals and is rendering.');
        return phaseRefusal(v);
      }
      const back = renderFailed ? ({ approvedRev: null, status: 'waiting' } as const) : undefined;
      if (d.rev !== v.storyboardRev) return refuse('stale', STALE);
      if (v.working || !v.storyboard) return refuse('busy', BUSY);
      if (d.kind === 'storyboard.regenerate')
        return {
          ok: true,
          next: {
            ...i,
            storyboardRev: i.storyboardRev + 1,
            sceneRevs: {},
            sceneEdits: {},
            sceneOrder: null,
            approvals: [],
            approvedRev: null,
          },
          status: back?.status,
        };
      if (d.kind === 'voice.choose') {
        if (d.voice === i.voice)
          return refuse(
            'invalid',
            d.voice ? `The voice is already ${d.voice}.` : 'There is no voice-over already.',
          );
        return {
          ok: true,
          next: { ...i, voice: d.voice, voiceRev: i.voiceRev + 1, approvals: [], approvedRev: null },
          status: back?.status,
        };
      }
      if (d.kind === 'scene.regenerate') {
        if (d.index >= v.storyboard.length)
          return refuse(
            'invalid',
            `This storyboard has ${v.storyboard.length} scenes; there is no scene ${d.index + 1}.`,
          );
        // The card numbers scenes as shown; revisions follow the planned scene (it may have moved).
        const source = sourceOf(i, d.index, v.storyboard.length);
        const key = String(source);
        return {
          ok: true,
          next: {
            ...i,
            sceneRevs: { ...i.sceneRevs, [key]: (i.sceneRevs[key] ?? 0) + 1 },
            sceneEdits: keepOnlyDuration(i.sceneEdits, source),
            approvals: [],
            approvedRev: null,
          },
          status: back?.status,
        };
      }
      const others = i.approvals.filter((a) => a !== actor);
      const approvals = d.kind === 'storyboard.approve' ? [...others, actor] : others;
      const reached = approvals.length >= i.approvalsRequired;
      return {
        ok: true,
        next: { ...i, approvals, approvedRev: reached ? d.rev : null },
        approvals: { count: approvals.length, needed: i.approvalsRequired, reached },
      };
    }
    case 'render.retry':
    case 'render.draft': {
      if (v.phase !== 'failed') return phaseRefusal(v);
      if (d.kind === 'render.retry')
        return { ok: true, next: { ...i, retryRev: i.retryRev + 1 }, status: 'waiting' };
      if (i.profile !== 'final') return refuse('invalid', 'This ad already renders as a draft.');
      return { ok: true, next: { ...i, profile: 'draft' }, status: 'waiting' };
    }
    case 'render.continue': {
      if (v.phase !== 'failed' || !PAUSE_CODES.has(v.errorCode ?? ''))
        return refuse('wrong_phase', 'This ad is not paused; there is nothing to continue.');
      // Nothing changes but the status: the paid steps already made are read back, the refused
      // one is reserved (and checked) again.
      return { ok: true, next: i, status: 'waiting' };
    }
    case 'video.new_take':
    case 'video.change_music':
    case 'video.final':
      return judgeVideo(v, d);
    case 'formats.more': {
      if (v.phase !== 'done')
        return v.phase === 'cancelled'
          ? phaseRefusal(v)
          : refuse('busy', 'More formats can be made once the video is in the thread.');
      // The version's video card (`v<n>`): the same revision as its New take, Change music, Final.
      if (d.rev !== v.version.rev)
        return refuse('stale', `Those buttons belong to ${d.rev}; use the buttons under ${v.version.rev}.`);
      const missing = FORMATS.filter((f) => !i.formats.includes(f));
      if (missing.length === 0) return refuse('invalid', 'This ad already has every format.');
      // The same clips, one more compose (and delivery) per format: nothing is paid again. The
      // same version: its render step names the formats, its first file's delivery is kept.
      return { ok: true, next: { ...i, formats: [...i.formats, ...missing] }, status: 'waiting' };
    }
    case 'cancel': {
      if (v.phase === 'done' || v.phase === 'cancelled') return phaseRefusal(v);
      if (i.deliveryStarted)
        return refuse(
          'too_late',
          'The video is already being posted to this thread, so it can’t be cancelled now.',
        );
      const back = finishedBefore(i);
      return back ? { ok: true, ...backToFinished(i, back) } : { ok: true, next: i, status: 'cancelled' };
    }
  }
}

export interface DecisionRecord {
  id: number;
  kind: Decision['kind'];
  actor: string;
  rev: string | null;
  decision: Decision;
  createdAt: string;
}

/** Persistence of decisions; `src/db` implements it over the same database as the runs. */
export interface DecisionMethods {
  /**
   * Stores the decision, the run's new state and (when given) its status in ONE transaction,
   * refusing (false) when the run's state changed since `expected` was read: two people clicking
   * at once cannot both act on the same revision.
   */
  record(
    runId: string,
    actor: string,
    d: Decision,
    expected: RunInput,
    next: RunInput,
    status?: 'cancelled' | 'waiting' | 'succeeded',
  ): Promise<boolean>;
  list(runId: string): Promise<DecisionRecord[]>;
  /** Flags delivery as begun unless the run was cancelled first; false when it was. */
  startDelivery(runId: string): Promise<boolean>;
}

export type DecisionStore = DecisionMethods & Transactional<DecisionMethods>;
