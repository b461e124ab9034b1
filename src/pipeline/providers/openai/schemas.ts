import { z } from 'zod';
import { AD_SECONDS, MAX_SCENE_S, MIN_SCENE_S, SceneKindSchema } from '../../schemas.ts';

/**
 * What the model is asked to return (sent as the JSON schema). Deliberately looser than the
 * domain schemas in `schemas.ts`: a near-miss (a 31 s plan, a bad hex colour) parses here, so
 * we can name the problem in one repair request instead of failing on an opaque parse error.
 * Structured outputs want every field required: optional values are `.nullable()`.
 */
const str = (what: string) => z.string().describe(what);
const words = (what: string) => z.array(z.string()).describe(what);

export const BriefDraftWire = z.object({
  product: str('what is advertised, in a short phrase').nullable(),
  audience: str('who the ad is for').nullable(),
  tone: words('1-6 emotional keywords, e.g. "warm", "bold"').nullable(),
  style: words('1-8 visual style keywords, e.g. "film grain", "pastel"').nullable(),
  keyMessages: words('1-3 short key messages').nullable(),
  callToAction: str('what the viewer should do, e.g. "Order today"').nullable(),
});

export const BriefTurnWire = z.object({
  brief: BriefDraftWire.describe('everything the conversation has settled so far; null where unknown'),
  complete: z.boolean().describe('true only when every field is known'),
  question: str('the one next question for the user, or null when complete').nullable(),
});
export type BriefTurnWire = z.infer<typeof BriefTurnWire>;

const MoodWire = z.object({
  name: str('2-4 words'),
  description: str('one or two sentences'),
  styleKeywords: words('2-8 visual keywords'),
  palette: words('4-5 colours as #rrggbb hex'),
  aesthetic: str('one sentence of art direction'),
  tempoBpm: z.number().int().describe('music tempo, 60-160 bpm'),
});
export const MoodsWire = z.object({ moods: z.array(MoodWire).describe('exactly 3 distinct directions') });

export const SceneWire = z.object({
  kind: SceneKindSchema.describe('hook, intro (product), feature, or cta (closing)'),
  durationS: z.number().int().describe(`whole seconds, ${MIN_SCENE_S}-${MAX_SCENE_S}`),
  title: str('at most 60 characters'),
  onScreen: str(
    'the words shown on screen over this scene, at most 7 words, in the language of the brief: ' +
      'the hook on the first scene, the product name on the intro, one key message per feature, ' +
      'the call to action on the last',
  ),
  voiceLine: str(
    'what the voice-over says over this scene, in the language of the brief, at most 2.5 words ' +
      'per second of the scene (a 4 s scene: up to 8 words); empty string for a silent scene',
  ),
  description: str('what is on screen, one or two sentences'),
  stylePrompt: str('image-generation prompt for the 9:16 seed image: subject, light, lens, palette'),
});
export const ScenePlanWire = z.object({
  scenes: z.array(SceneWire).describe(`5-7 scenes whose durations add up to exactly ${AD_SECONDS} s`),
});

export const SummaryWire = z.object({
  summary: str('the updated running summary, at most 1200 characters'),
});
export type SummaryWire = z.infer<typeof SummaryWire>;
