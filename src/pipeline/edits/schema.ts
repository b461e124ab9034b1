import { z } from 'zod';

/**
 * A change someone asked for in words, as data (issue 10): what it targets and what to do. Both
 * interpreters (the OpenAI planner and the offline rules) produce this; `applyEdit` is the only
 * code that turns it into a new run state, so what an LLM answers can never act on its own.
 * Scene numbers count from 1 in the order people see on the storyboard card.
 */
export const BRIEF_FIELDS = ['product', 'audience', 'tone', 'style', 'keyMessages', 'callToAction'] as const;
export const BriefFieldSchema = z.enum(BRIEF_FIELDS);
export type BriefField = z.infer<typeof BriefFieldSchema>;

const line = (max: number) => z.string().trim().min(1).max(max);
/** Loose on purpose: "scene 9" parses, so applyEdit can answer "there is no scene 9". */
const sceneNo = z.number().int().min(1).max(99);

/** What the words carried, read before any interpretation: quoted text, scene numbers, mood words. */
export const EditParamsSchema = z.object({
  quoted: z.array(z.string().max(300)).max(5),
  scenes: z.array(z.number().int().min(1).max(99)).max(7),
  words: z.array(z.string().max(40)).max(12),
});
export type EditParams = z.infer<typeof EditParamsSchema>;

/** New values for one scene's fields; durations outside 3-10 s are refused by applyEdit with the rule. */
export const SceneChangesSchema = z
  .object({
    title: line(60),
    description: line(400),
    stylePrompt: line(400),
    onScreen: line(300),
    durationS: z.number().int().min(1).max(30),
  })
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'a scene change must change something');
export type SceneChanges = z.infer<typeof SceneChangesSchema>;

const common = { instruction: line(1500), params: EditParamsSchema };

export const EditSchema = z.discriminatedUnion('target', [
  z.object({
    target: z.literal('brief'),
    field: BriefFieldSchema,
    value: z.union([line(300), z.array(line(200)).min(1).max(6)]),
    ...common,
  }),
  z.object({ target: z.literal('scene'), scene: sceneNo, changes: SceneChangesSchema, ...common }),
  /** Words added to every scene's picture (e.g. "everything at night"): every image and clip again. */
  z.object({
    target: z.literal('all-scenes'),
    append: z.object({ description: line(200), stylePrompt: line(200) }),
    ...common,
  }),
  /** `end` is the closing scene, whose words are the end card's call to action. */
  z.object({
    target: z.literal('on-screen'),
    scene: z.union([sceneNo, z.literal('end')]),
    text: line(300),
    ...common,
  }),
  z.object({
    target: z.literal('music'),
    note: line(200),
    tempo: z.enum(['slower', 'faster', 'same']),
    ...common,
  }),
  z.object({ target: z.literal('voice'), note: line(300), ...common }),
  z.object({ target: z.literal('format'), note: line(300), ...common }),
  z.object({
    target: z.literal('order'),
    op: z.enum(['swap', 'move']),
    from: sceneNo,
    to: sceneNo,
    ...common,
  }),
]);
export type Edit = z.infer<typeof EditSchema>;

/** An interpreter's verdict on a message: a typed edit, not a change at all, or a change it cannot map. */
export const InterpretedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('edit'), edit: EditSchema }),
  z.object({ kind: z.literal('not-a-change') }),
  z.object({ kind: z.literal('cannot'), reason: line(400) }),
]);
export type Interpreted = z.infer<typeof InterpretedSchema>;
