import { z } from 'zod';
import { fitOnScreen } from './on-screen.ts';
import { fitVoiceLine } from './voice/voice-line.ts';

/** Total length of every ad, in seconds (ARCHITECTURE.md: a 30-second vertical ad). */
export const AD_SECONDS = 30;
export const MIN_SCENE_S = 3;
export const MAX_SCENE_S = 10;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** Shortened, never refused (on-screen.ts): only an empty line fails, so the planner rewrites it. */
export const OnScreenSchema = z
  .string()
  .transform(fitOnScreen)
  .pipe(z.string().min(1, 'on-screen text must not be empty'));

/** The end card shows the call to action; the planners cut it to a <= 7-word on-screen line. */
export const CTA_MAX_CHARS = 120;

export const BriefSchema = z.object({
  product: text(300),
  audience: text(300),
  tone: z.array(text(40)).min(1).max(6),
  style: z.array(text(40)).min(1).max(8),
  keyMessages: z.array(text(200)).min(1).max(3),
  callToAction: text(CTA_MAX_CHARS),
});
export type Brief = z.infer<typeof BriefSchema>;

/**
 * `#abc` and upper case are accepted and stored as lower-case `#aabbcc` (what ASS, ffmpeg and the
 * offline renderer read): models write both, and refusing a valid colour costs a repair round.
 */
const hex = z
  .string()
  .trim()
  .regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'a colour like #1a2b3c')
  .transform((c) => {
    const h = c.slice(1).toLowerCase();
    return `#${h.length === 3 ? [...h].map((d) => d + d).join('') : h}`;
  });

/** The same colour rule for brand kits (brand.ts). */
export const HexColourSchema = hex;

export const MoodSchema = z.object({
  name: text(60),
  description: text(400),
  styleKeywords: z.array(text(40)).min(2).max(8),
  palette: z.array(hex).min(4).max(5),
  aesthetic: text(200),
  /** Beats per minute of the music bed: the mood's pace. */
  tempoBpm: z.number().int().min(60).max(160),
});
export type Mood = z.infer<typeof MoodSchema>;

export const MoodsSchema = z.object({ moods: z.array(MoodSchema).length(3) });

export const SceneKindSchema = z.enum(['hook', 'intro', 'feature', 'cta']);
export const SceneSchema = z
  .object({
    kind: SceneKindSchema,
    durationS: z.number().int().min(MIN_SCENE_S).max(MAX_SCENE_S),
    title: text(60),
    /** The words shown over this scene by the text layer (<= 7 words): hook, message, or CTA. */
    onScreen: OnScreenSchema,
    /**
     * What the voice-over says over this scene, sized to it (~2.5 words/s, voice/voice-line.ts);
     * empty for a silent scene. Plans stored before voice-overs existed have none.
     */
    voiceLine: z.string().nullish(),
    description: text(400),
    stylePrompt: text(400),
  })
  .transform((s) => ({ ...s, voiceLine: fitVoiceLine(s.voiceLine, s.durationS) }));
/** `voiceLine` is optional in the type: plans stored before voice-overs existed have none. */
export type Scene = Omit<z.infer<typeof SceneSchema>, 'voiceLine'> & { voiceLine?: string };

export const ScenePlanSchema = z
  .object({ scenes: z.array(SceneSchema).min(5).max(7) })
  .superRefine((plan, ctx) => {
    const total = plan.scenes.reduce((s, x) => s + x.durationS, 0);
    if (total !== AD_SECONDS) {
      ctx.addIssue({ code: 'custom', message: `scene durations sum to ${total} s, must be ${AD_SECONDS} s` });
    }
  });
export type ScenePlan = { scenes: Scene[] };

/** Start time of each scene on the 30 s timeline. */
export function sceneStarts(scenes: readonly Pick<Scene, 'durationS'>[]): number[] {
  const starts: number[] = [];
  let t = 0;
  for (const s of scenes) {
    starts.push(t);
    t += s.durationS;
  }
  return starts;
}

/** Human-readable zod issues: "field.path: message; ..." */
export function describeIssues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}
