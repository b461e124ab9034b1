import { extractiveSummary } from '../../brief-history.ts';
import { interpretOffline } from '../../edits/offline.ts';
import type { Llm } from '../ports.ts';
import { interview } from './brief.ts';
import { planMoodsOffline } from './moods.ts';
import { planScenesOffline, replanSceneOffline } from './scenes.ts';

/**
 * A rule-based stand-in for the LLM: a fixed interview and template-driven planning, so the demo
 * works with no network and no key, and the same input and seed always give the same plan.
 */
export function createOfflineLlm(): Llm {
  return {
    model: 'offline:templates',
    interpretEdit: interpretOffline,
    briefTurn: async (conversation, context) => interview(conversation, context?.known),
    summarizeTurns: async (previous, turns) => extractiveSummary(previous, turns),
    planMoods: async (brief, seed, brand) => planMoodsOffline(brief, seed, brand),
    planScenes: async (brief, mood, seed) => ({ scenes: planScenesOffline(brief, mood, seed) }),
    replanScene: async (brief, mood, scenes, index, seed) =>
      replanSceneOffline(brief, mood, scenes, index, seed),
  };
}
