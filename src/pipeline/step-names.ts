import { StepFailedError } from './engine.ts';

/** Which part of the ad a step id is about, in words people use ("scene 3's clip"). */
export function describeStep(stepId: string): string {
  const scene = /^scene-(\d+)\/(image|clip|text)\b/.exec(stepId);
  if (scene) {
    const what = { image: 'image', clip: 'clip', text: 'text' }[scene[2] as 'image' | 'clip' | 'text'];
    return `scene ${Number(scene[1]) + 1}'s ${what}`;
  }
  const mood = /^mood-(\d+)\/images\b/.exec(stepId);
  if (mood) return `mood board ${Number(mood[1]) + 1}'s images`;
  if (stepId.startsWith('music/')) return 'the music';
  if (stepId.startsWith('compose/')) return 'composing the video';
  if (stepId.startsWith('moods/')) return 'planning the mood boards';
  if (stepId.startsWith('storyboard/')) return 'planning the storyboard';
  if (stepId.startsWith('deliver/')) return 'posting the video';
  return 'a step';
}

/** The innermost failed step of an error (a step may run steps of its own), if any. */
export function failedStep(err: unknown): string | undefined {
  let id: string | undefined;
  for (let e = err; e instanceof StepFailedError; e = e.cause) id = e.stepId;
  return id;
}
