import { brandHint } from '../brand.ts';
import { type ArrangedScene, arrangeScenes } from '../edits/overrides.ts';
import type { RunScope } from '../env.ts';
import { PROFILES } from '../media/profiles.ts';
import { sceneClipKey, sceneImageKey, sceneKey, sceneRev, stepSeed, storyboardKey } from '../run-input.ts';
import { type Scene, ScenePlanSchema, sceneStarts } from '../schemas.ts';
import { settleAll } from '../settle.ts';
import { generate } from './generate.ts';
import { chosenMood } from './moods.ts';

export interface StoryboardScene {
  /** Position on the storyboard people see (0-based). */
  index: number;
  /** Index in the plan, which names the scene's steps; differs from `index` after a swap or move. */
  source?: number;
  scene: Scene;
  startS: number;
  /** Whose step ids depend on this scene: changes when the scene is regenerated or edited. */
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
      await env.providers.llm.planScenes(
        input.brief,
        mood,
        stepSeed(input.seed, planId),
        brandHint(input.brand),
      ),
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

/** The scenes as people see them: the texts above with their edits in words, in the chosen order. */
export async function arrangedScenes(scope: RunScope): Promise<ArrangedScene[]> {
  return arrangeScenes(scope.input, await sceneTexts(scope));
}

/** Scenes with their 9:16 seed images (images generated in parallel, each memoised by its key). */
export async function storyboard(scope: RunScope): Promise<StoryboardScene[]> {
  const { env, input } = scope;
  const mood = await chosenMood(scope);
  const arranged = await arrangedScenes(scope);
  const starts = sceneStarts(arranged.map((a) => a.scene));
  const { width, height } = PROFILES[input.profile];
  return settleAll(
    arranged.map(async ({ scene, source }, index) => {
      const id = `scene-${source}/image/${sceneImageKey(input, source)}`;
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
      return { index, source, scene, startS: starts[index] ?? 0, key: sceneClipKey(input, source), image };
    }),
  );
}
