import type { Brief, Scene } from '../schemas.ts';
import type { Phase } from '../view.ts';
import type { Interpreted } from './schema.ts';

/** What an interpreter may look at: the ad as people see it when they typed the message. */
export interface EditContext {
  /** `brief_review` before the run exists (the brief card is on show); the run's phase after. */
  phase: Phase | 'brief_review';
  brief: Brief;
  /** The storyboard in the order people see it; null before there is one. */
  scenes: Scene[] | null;
  music: { tempoBpm: number | null; note: string | null };
}

/**
 * The one port both interpreters sit behind (OpenAI structured output, offline rules). It reads
 * a message and returns a typed edit or why not; it never changes anything itself.
 */
export type EditInterpreter = (text: string, ctx: EditContext) => Promise<Interpreted>;
