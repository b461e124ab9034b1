import { AppError } from '../../errors.ts';
import type { RunContext, StepStore } from '../engine.ts';
import type { RunScope } from '../env.ts';
import { sceneClipKey } from '../run-input.ts';
import { collected } from './generate.ts';
import { chosenMood } from './moods.ts';
import { clipJob, musicJob } from './render.ts';
import { arrangedScenes } from './storyboard.ts';

export interface CostEstimate {
  totalUsd: number;
  lines: { what: string; usd: number }[];
}

/**
 * A step store that can read but never start a step: an estimate must not plan, generate or pay
 * for anything, so asking it for a step that has not run yet is an error, not a side effect.
 */
export function readOnlySteps(store: StepStore): StepStore {
  const refuse = (stepId: string) => {
    throw new AppError(
      'not_ready',
      `nothing to estimate yet: step ${stepId} has not run (make the storyboard first)`,
    );
  };
  return {
    load: (runId, stepId) => store.load(runId, stepId),
    loadRun: (runId) => store.loadRun(runId),
    begin: async (_runId, stepId) => refuse(stepId),
    succeed: async () => {},
    fail: async () => {},
    transaction: () => Promise.reject(new AppError('not_ready', 'an estimate writes nothing')),
  };
}

const made = async (rc: RunContext, id: string, retryRev: number) =>
  (await collected(rc, id, retryRev)) !== undefined;

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/**
 * What rendering the current storyboard will still cost: one clip per scene plus the music, each
 * priced by its provider's `estimateUsd` (offline providers are free). Clips already made count 0.
 */
export async function estimateRenderCost(scope: RunScope): Promise<CostEstimate> {
  const { env, rc, input } = scope;
  const mood = await chosenMood(scope);
  const scenes = await arrangedScenes(scope);
  const lines: CostEstimate['lines'] = [];
  for (const [index, { scene, source }] of scenes.entries()) {
    const { id, job } = clipJob(scope, { index, source, key: sceneClipKey(input, source), scene, image: '' });
    const done = await made(rc, id, input.retryRev);
    lines.push({
      what: `Scene ${index + 1} clip (${job.durationS} s)${done ? ', already made' : ''}`,
      usd: done ? 0 : round(env.providers.video.estimateUsd?.(job) ?? 0),
    });
  }
  const music = musicJob(scope, mood);
  const musicDone = await made(rc, music.id, input.retryRev);
  lines.push({
    what: `Music (${music.job.durationS} s)${musicDone ? ', already made' : ''}`,
    usd: musicDone ? 0 : round(env.providers.music.estimateUsd?.(music.job) ?? 0),
  });
  const tts = env.providers.tts;
  if (tts && input.voice) {
    // Every line once; a line re-planned shorter costs a second, shorter read (not counted).
    const usd = scenes.reduce(
      (sum, s) =>
        sum +
        (s.scene.voiceLine
          ? (tts.estimateUsd?.({ text: s.scene.voiceLine, voice: input.voice!, seed: 0 }) ?? 0)
          : 0),
      0,
    );
    lines.push({ what: `Voice-over (${input.voice})`, usd: round(usd) });
  }
  return { totalUsd: round(lines.reduce((s, l) => s + l.usd, 0)), lines };
}
