import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { EDITOR_LABEL, EDITOR_PLACEHOLDER, EDITOR_TITLE, OPENS_EDITOR } from '../core/cards.ts';
import type { MessageEvent } from '../core/ports.ts';
import { decodeActionId } from './blocks.ts';

/** The modal's callback_id; a view_submission with another id is not ours. */
export const EDIT_CALLBACK = 'adgen.edit';
const BLOCK = 'edit';
const INPUT = 'text';

const id = z.string().regex(/^[A-Z0-9]{2,20}$/);
const ts = z.string().regex(/^\d{6,12}\.\d{1,8}$/);
/** Where the modal was opened from: carried in private_metadata, checked again when it returns. */
const Origin = z.object({ channel: id, thread: ts });

const EditorClick = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1).max(200),
  container: z
    .object({ channel_id: id.optional(), message_ts: ts.optional(), thread_ts: ts.optional() })
    .optional(),
  message: z.object({ ts, thread_ts: ts.optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string().max(255) })).min(1),
});

/** A click on an editor button (OPENS_EDITOR): what views.open needs, or null. */
export function editorClick(body: unknown): { triggerId: string; origin: z.infer<typeof Origin> } | null {
  const r = EditorClick.safeParse(body);
  if (!r.success || !OPENS_EDITOR.includes(decodeActionId(r.data.actions[0]!.action_id) as never))
    return null;
  const b = r.data;
  const origin = Origin.safeParse({
    channel: b.container?.channel_id,
    thread: b.container?.thread_ts ?? b.message?.thread_ts ?? b.message?.ts ?? b.container?.message_ts,
  });
  return origin.success ? { triggerId: b.trigger_id, origin: origin.data } : null;
}

/** The modal (views.open): one multiline input, where it came from in private_metadata. */
export function editorView(origin: z.infer<typeof Origin>): webApi.ViewsOpenArguments['view'] {
  return {
    type: 'modal',
    callback_id: EDIT_CALLBACK,
    private_metadata: JSON.stringify(origin),
    title: { type: 'plain_text', text: EDITOR_TITLE },
    submit: { type: 'plain_text', text: 'Apply' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: BLOCK,
        label: { type: 'plain_text', text: EDITOR_LABEL },
        element: {
          type: 'plain_text_input',
          action_id: INPUT,
          multiline: true,
          max_length: 1500,
          placeholder: { type: 'plain_text', text: EDITOR_PLACEHOLDER },
        },
      },
    ],
  };
}

const Submission = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id }),
  view: z.object({
    id: z.string().min(1).max(40),
    callback_id: z.literal(EDIT_CALLBACK),
    private_metadata: z.string().max(3000),
    state: z.object({
      values: z.object({
        [BLOCK]: z.object({ [INPUT]: z.object({ value: z.string().max(3000).nullable() }) }),
      }),
    }),
  }),
});

/** A submitted editor as the thread message it stands for, or null when it is not ours or bad. */
export function editorSubmission(body: unknown): MessageEvent | null {
  const r = Submission.safeParse(body);
  if (!r.success) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(r.data.view.private_metadata);
  } catch {
    return null;
  }
  const origin = Origin.safeParse(meta);
  const text = r.data.view.state.values[BLOCK]?.[INPUT]?.value?.trim();
  if (!origin.success || !text) return null;
  return {
    type: 'message',
    eventId: `view:${r.data.view.id}`,
    user: r.data.user.id,
    thread: { platform: 'slack', channel: origin.data.channel, thread: origin.data.thread },
    text,
  };
}
