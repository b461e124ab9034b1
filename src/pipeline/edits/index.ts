import { errorMessage } from '../../errors.ts';
import type { Llm } from '../providers/ports.ts';
import type { RunView } from '../view.ts';
import { EDIT_EXAMPLES, readEditOffline } from './offline.ts';
import type { EditContext } from './port.ts';
import type { Interpreted } from './schema.ts';

export { applyBriefEdit, applyEdit } from './apply.ts';
export { editRev } from './judge.ts';
export type { EditContext, EditInterpreter } from './port.ts';
export type { Edit, Interpreted } from './schema.ts';

/**
 * The entry point for words (a thread message, the Edit modal's text): the configured planner
 * reads them, the offline rules when there is none. When the planner fails (quota, network) the
 * offline rules still apply what they understand; otherwise the reason comes back, never silence.
 */
export async function interpretEdit(
  llm: Pick<Llm, 'interpretEdit'>,
  text: string,
  ctx: EditContext,
): Promise<Interpreted> {
  if (!llm.interpretEdit) return readEditOffline(text, ctx);
  try {
    return await llm.interpretEdit(text, ctx);
  } catch (err) {
    const offline = readEditOffline(text, ctx);
    if (offline.kind === 'edit') return offline;
    return {
      kind: 'cannot',
      reason: `I couldn’t read that as a change (${errorMessage(err).slice(0, 200)}); nothing was changed.`,
    };
  }
}

/** What an interpreter sees of a run: the storyboard in display order, the brief, the music. */
export function editContext(v: RunView): EditContext {
  const mood = v.input.moodChoice === null ? undefined : v.moods?.[v.input.moodChoice]?.mood;
  return {
    phase: v.phase,
    brief: v.input.brief,
    scenes: v.storyboard?.map((s) => s.scene) ?? null,
    music: { tempoBpm: v.input.musicTempoBpm ?? mood?.tempoBpm ?? null, note: v.input.musicNote },
  };
}

const NEXT: Record<string, string> = {
  brief_review:
    'The brief is on show: press “Looks good”, or change a field, e.g. “make the audience students”.',
  moods:
    'Pick a mood board with its Select button. You can still change the brief, e.g. “make the tone playful”.',
  storyboard: `The storyboard is ready: approve it to render, or change it in words. ${EDIT_EXAMPLES}`,
  render: 'The video is being made; I’ll post it here. You can change it once it is posted.',
  deliver: 'The video is being posted to this thread now.',
  done: `The video is in this thread. To make the next version, tell me what to change. ${EDIT_EXAMPLES}`,
  failed:
    'The last step failed; use the buttons on the error above (Try again), or change the storyboard in words.',
  cancelled: 'This ad was cancelled. Start a new one with /adgen.',
};

/** A short, useful answer to a message that is not a change: where the ad is and what to say. */
export function notAChangeAnswer(phase: EditContext['phase']): string {
  return NEXT[phase] ?? EDIT_EXAMPLES;
}
