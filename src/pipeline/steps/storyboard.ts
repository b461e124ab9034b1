import type { RunScope } from '../env.ts';
import { PROFILES } from '../media/profiles.ts';
import { sceneKey, sceneRev, stepSeed, storyboardKey } from '../run-input.ts';
import { type Scene, ScenePlanSchema, sceneStarts } from '../schemas.ts';
import { settleAll } from '../settle.ts';
import { generate } from './generate.ts';
import { chosenMood } from './moods.ts';

export interface StoryboardScene {
  index: number;
  scene: Scene;
  startS: number;
  /** Whose step ids depend on this scene: changes when the scene is regenerated. */
  key: string;
  image: string;
}

/** The scene texts: the plan for this storyboard revision, with per-scene rewrites applied. */
export async function sceneTexts(scope: RunScope): Promise<Scene[]> {
  const { rc, env, input } = scope;
  const mood = await chosenMood(scope);
  const planId = `storyboard/${storyboardKey(input)}`;
  const plan = await rc.step(planId, async () =>
    ScenePlanSchema.parse(
      await env.providers.llm.planScenes(input.brief, mood, stepSeed(input.seed, planId)),
    ),
  );
  const scenes: Scene[] = [...plan.scenes];
  for (let i = 0; i < scenes.length; i++) {
    if (sceneRev(input, i) === 0) continue;
    const id = `scene-${i}/text/${sceneKey(input, i)}`;
    scenes[i] = await rc.step(id, () =>
      env.providers.llm.replanScene(input.brief, mood, plan.scenes, i, stepSeed(input.seed, id)),
    );
  }
  return scenes;
}

/** Scenes with their 9:16 seed images (images generated in parallel, each memoised by its key). */
export async function storyboard(scope: RunScope): Promise<StoryboardScene[]> {
  const { env, input } = scope;
  const mood = await chosenMood(scope);
  const scenes = await sceneTexts(scope);
  const starts = sceneStarts(scenes);
  const { width, height } = PROFILES[input.profile];
  return settleAll(
    scenes.map(async (scene, index) => {
      const key = sceneKey(input, index);
      const id = `scene-${index}/image/${key}`;
      const [image] = await generate(
        scope,
        id,
        env.providers.image,
        {
          prompt: `${scene.description}. ${scene.stylePrompt}`,
          title: scene.title,
          palette: mood.palette,
          keywords: mood.styleKeywords,
          count: 1,
          width,
          height,
          seed: stepSeed(input.seed, id),
        },
        'image',
      );
      if (!image) throw new Error(`scene ${index + 1}: the image provider returned no image`);
      return { index, scene, startS: starts[index] ?? 0, key, image };
    }),
  );
}
