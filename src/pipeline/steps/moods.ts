import { brandHint } from '../brand.ts';
import type { RunScope } from '../env.ts';
import { PROFILES } from '../media/profiles.ts';
import { moodKey, stepSeed } from '../run-input.ts';
import type { Mood } from '../schemas.ts';
import { settleAll } from '../settle.ts';
import { generate } from './generate.ts';

export interface MoodBoard {
  index: number;
  mood: Mood;
  images: string[];
}

/** Mood sample images are shown small in chat: half the profile size is plenty. */
function sampleSize(scope: RunScope) {
  const p = PROFILES[scope.input.profile];
  const even = (n: number) => Math.max(2, Math.round(n / 4) * 2);
  return { width: even(p.width), height: even(p.height) };
}

export async function planMoods(scope: RunScope): Promise<Mood[]> {
  const { rc, env, input } = scope;
  const id = `moods/${moodKey(input)}`;
  return rc.step(id, () =>
    env.providers.llm.planMoods(input.brief, stepSeed(input.seed, id), brandHint(input.brand)),
  );
}

/** Three style directions, each with sample images (generated in parallel). */
export async function moodBoards(scope: RunScope): Promise<MoodBoard[]> {
  const { input, env } = scope;
  const moods = await planMoods(scope);
  const size = sampleSize(scope);
  return settleAll(
    moods.map(async (mood, index) => {
      const id = `mood-${index}/images/${moodKey(input)}`;
      const images = await generate(
        scope,
        id,
        env.providers.image,
        {
          prompt: `${mood.aesthetic}. ${mood.description}. Style: ${mood.styleKeywords.join(', ')}`,
          title: mood.name,
          palette: mood.palette,
          keywords: mood.styleKeywords,
          count: input.imagesPerMood,
          ...size,
          seed: stepSeed(input.seed, id),
        },
        'image',
      );
      return { index, mood, images };
    }),
  );
}

export async function chosenMood(scope: RunScope): Promise<Mood> {
  const choice = scope.input.moodChoice;
  if (choice === null) throw new Error('no mood direction has been chosen yet');
  const moods = await planMoods(scope);
  const mood = moods[choice];
  if (!mood) throw new Error(`mood ${choice + 1} does not exist`);
  return mood;
}
