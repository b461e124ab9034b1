import { z } from 'zod';
import { OnScreenSchema, type Scene, SceneSchema } from '../schemas.ts';

/**
 * Per-scene changes made in words, stored in the run's input on top of the planned storyboard
 * (keyed by the scene's place in the PLAN, so they follow a scene that is moved). Only the fields
 * given replace the plan's; a regenerated scene keeps its duration change (the 30 s sum).
 */
// The scene's own fields (SceneSchema is a pipe: it also fits the voice-over line).
const SceneFields = SceneSchema.in.shape;

export const SceneEditSchema = z
  .object({
    title: SceneFields.title,
    description: SceneFields.description,
    stylePrompt: SceneFields.stylePrompt,
    onScreen: OnScreenSchema,
    durationS: SceneFields.durationS,
  })
  .partial();
export type SceneEdit = z.infer<typeof SceneEditSchema>;

export interface Overrides {
  sceneEdits: Record<string, SceneEdit>;
  /** Display position -> plan index; null = the plan's order. */
  sceneOrder: number[] | null;
}

/** The plan's order when `order` is missing or does not fit this plan (a newer plan, fewer scenes). */
export function orderFor(order: number[] | null, count: number): number[] {
  const identity = Array.from({ length: count }, (_, i) => i);
  if (!order || order.length !== count) return identity;
  const seen = new Set(order);
  return seen.size === count && order.every((p) => p >= 0 && p < count) ? order : identity;
}

/** Which planned scene is shown at `position` (0-based). */
export const sourceOf = (o: Pick<Overrides, 'sceneOrder'>, position: number, count: number): number =>
  orderFor(o.sceneOrder, count)[position] ?? position;

export interface ArrangedScene {
  /** Index in the plan: what step ids are named by, so a moved scene keeps its image and clip. */
  source: number;
  scene: Scene;
}

/** The storyboard people see: plan scenes (with rewrites) + their edits, in the chosen order. */
export function arrangeScenes(o: Overrides, planned: readonly Scene[]): ArrangedScene[] {
  return orderFor(o.sceneOrder, planned.length).map((source) => ({
    source,
    scene: { ...planned[source]!, ...(o.sceneEdits[String(source)] ?? {}) },
  }));
}

/** The edits that change a scene's picture (its image, hence its clip). */
export function visualEdit(
  edit: SceneEdit | undefined,
): Pick<SceneEdit, 'title' | 'description' | 'stylePrompt'> | null {
  if (!edit) return null;
  const { title, description, stylePrompt } = edit;
  const visual = Object.fromEntries(
    Object.entries({ title, description, stylePrompt }).filter(([, v]) => v !== undefined),
  );
  return Object.keys(visual).length ? visual : null;
}

/** A regenerated scene gets a fresh take of its content; its length stays, or the sum breaks. */
export function keepOnlyDuration(
  edits: Record<string, SceneEdit>,
  source: number,
): Record<string, SceneEdit> {
  const key = String(source);
  const { [key]: old, ...rest } = edits;
  return old?.durationS === undefined ? rest : { ...rest, [key]: { durationS: old.durationS } };
}
