import type { ModalSubmitInteraction } from 'discord.js';
import { z } from 'zod';
import { EDITOR_LABEL, EDITOR_PLACEHOLDER, EDITOR_TITLE, OPENS_EDITOR } from '../core/cards.ts';
import type { MessageEvent } from '../core/ports.ts';
import { parseComponent, threadRef } from './ids.ts';

/** The modal's custom_id; a submission with another id is not ours. */
export const EDIT_MODAL_ID = 'adgen.edit';
const INPUT = 'text';

/** Whether a button's custom_id opens the editor (cards.ts OPENS_EDITOR). */
export const opensEditor = (customId: string) =>
  OPENS_EDITOR.includes(parseComponent(customId).action as never);

/**
 * The modal for showModal(): one paragraph input. Discord allows a modal only as the FIRST
 * response to the click (no defer before it), title and label at most 45 characters.
 */
export function editorModal() {
  return {
    custom_id: EDIT_MODAL_ID,
    title: EDITOR_TITLE.slice(0, 45),
    components: [
      {
        type: 1,
        components: [
          {
            type: 4,
            custom_id: INPUT,
            style: 2,
            label: EDITOR_LABEL.slice(0, 45),
            placeholder: EDITOR_PLACEHOLDER.slice(0, 100),
            required: true,
            max_length: 1500,
          },
        ],
      },
    ],
  };
}

const Text = z.string().trim().min(1).max(4000);

/** A submitted editor as the thread message it stands for (same handler as typed text). */
export function editorSubmission(i: ModalSubmitInteraction): MessageEvent | undefined {
  if (i.customId !== EDIT_MODAL_ID || !i.channelId) return undefined;
  let raw: unknown;
  try {
    raw = i.fields.getTextInputValue(INPUT);
  } catch {
    return undefined; // a field we did not put there: not our modal's shape
  }
  const text = Text.safeParse(raw);
  if (!text.success) return undefined;
  return { type: 'message', eventId: i.id, thread: threadRef(i.channelId), user: i.user.id, text: text.data };
}
