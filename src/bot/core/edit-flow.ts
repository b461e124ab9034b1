import { errorMessage } from '../../errors.ts';
import {
  applyBriefEdit,
  editContext,
  editRev,
  interpretEdit,
  notAChangeAnswer,
} from '../../pipeline/edits/index.ts';
import type { Edit } from '../../pipeline/edits/schema.ts';
import type { Brief } from '../../pipeline/schemas.ts';
import { cleanInput, MAX_MESSAGE_CHARS } from './brief-flow.ts';
import type { ThreadCtx } from './context.ts';
import { kick } from './drive.ts';

const UNCHANGED = 'Nothing was changed.';

/**
 * Words that change the ad (a thread message, or the text of the Edit modal): read into a typed
 * edit, judged and stored by the workflow as an `edit.apply` decision, then said in one line and
 * worked on. Whatever happens the person gets an answer: the change, the reason it can't be made,
 * or (for a message that is no change) where the ad is and what they can say.
 */
export async function onEditText(t: ThreadCtx, user: string, rawText: string): Promise<void> {
  const runId = t.state.runId;
  const input = cleanInput(rawText);
  if (!runId) return void (await t.say('This thread has no ad yet; finish the brief first.'));
  if (!input.meaningful)
    return void (await t.say('I need a few words to work with, e.g. “scene 2 at night” or “calmer music”.'));
  if (input.truncated) await t.say(`That was long; I used the first ${MAX_MESSAGE_CHARS} characters.`);
  const v = await t.deps.workflow.view(runId);
  const read = await interpretEdit(t.deps.llm, input.text, editContext(v));
  if (read.kind === 'not-a-change') return void (await t.say(notAChangeAnswer(v.phase)));
  if (read.kind === 'cannot') return void (await t.say(`${read.reason} ${UNCHANGED}`));
  const r = await t.deps.workflow
    .decide(
      runId,
      user,
      {
        kind: 'edit.apply',
        rev: editRev(v),
        edit: read.edit,
        defaultVoice: t.deps.workflow.voiceChoices()?.defaultVoice ?? null,
      },
      { reviewers: t.deps.review.reviewers },
    )
    .catch((err: unknown) => {
      t.deps.log.warn('edit failed', { error: errorMessage(err) });
      return null;
    });
  if (!r)
    return void (await t.say(
      `That didn’t work because of an error on my side; please try again. ${UNCHANGED}`,
    ));
  // Refusals for the person alone when they may not steer; in the thread otherwise, since the
  // reason (a rule, a phase) is what the team talking there needs to know.
  if (!r.ok)
    return r.refusal === 'not_allowed'
      ? t.tell(user, r.message)
      : void (await t.say(`${r.message} ${UNCHANGED}`));
  await t.say(`✏️ ${r.summary ?? 'Changing the ad.'}`);
  // The thread was closed with its video; the next version is work a restart must pick up again.
  if (v.phase === 'done') await t.deps.threads.reopen(t.state.id);
  kick(t);
}

/** At brief review the only target is the brief; "end with '…'" means its call to action. */
export function briefEditOf(
  edit: Edit,
): { field: Parameters<typeof applyBriefEdit>[1]; value: string | string[] } | null {
  if (edit.target === 'brief') return { field: edit.field, value: edit.value };
  if (edit.target === 'on-screen' && edit.scene === 'end') return { field: 'callToAction', value: edit.text };
  return null;
}

/**
 * A change typed at brief review in words ("make the audience Gen Z gamers"): the new brief, or
 * the sentence to answer with. Before the run exists the brief lives in the thread, so no decision.
 */
export async function briefFromWords(
  t: ThreadCtx,
  brief: Brief,
  text: string,
): Promise<{ brief: Brief; summary: string } | string> {
  const read = await interpretEdit(t.deps.llm, text, {
    phase: 'brief_review',
    brief,
    scenes: null,
    music: { tempoBpm: null, note: null },
  });
  if (read.kind === 'not-a-change') return notAChangeAnswer('brief_review');
  if (read.kind === 'cannot') return `${read.reason} ${UNCHANGED}`;
  const target = briefEditOf(read.edit);
  if (!target)
    return 'Scenes, words on screen and music come after the brief: press “Looks good” first, then tell me the change.';
  const r = applyBriefEdit(brief, target.field, target.value);
  return r.ok ? { brief: r.brief, summary: r.summary } : `${r.reason} ${UNCHANGED}`;
}
