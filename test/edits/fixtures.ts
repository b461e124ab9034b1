import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import type { EditContext } from '../../src/pipeline/edits/port.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { Scene } from '../../src/pipeline/schemas.ts';

/** Six scenes, 4+5+5+5+5+6 = 30 s, shaped like a planner's. */
export function sixScenes(): Scene[] {
  const kinds = ['hook', 'intro', 'feature', 'feature', 'feature', 'cta'] as const;
  const durations = [4, 5, 5, 5, 5, 6];
  return kinds.map((kind, i) => ({
    kind,
    durationS: durations[i]!,
    title: `Title ${i + 1}`,
    onScreen: `Words ${i + 1}`,
    description: `Scene ${i + 1}: a ${kind} shot of the cold brew on a kitchen table at sunrise`,
    stylePrompt: 'soft window light, 35mm',
  }));
}

export const input = () => newRunInput(DEMO_BRIEF, { seed: 1, requester: 'UREQ' });

export const ctxAt = (phase: EditContext['phase'], scenes: Scene[] | null = sixScenes()): EditContext => ({
  phase,
  brief: DEMO_BRIEF,
  scenes,
  music: { tempoBpm: 96, note: null },
});

/** The examples issue 10 says must work, with where each is said. */
export const ISSUE_EXAMPLES = [
  { text: 'make the audience Gen Z gamers', phase: 'brief_review' },
  { text: 'scene 2 at night, keep the rest', phase: 'storyboard' },
  { text: 'shorter hook', phase: 'storyboard' },
  { text: 'swap scenes 3 and 4', phase: 'storyboard' },
  { text: "end with 'Try Lumo free for 30 days'", phase: 'storyboard' },
  { text: 'calmer music', phase: 'storyboard' },
  { text: 'new music, more upbeat', phase: 'done' },
] as const;
