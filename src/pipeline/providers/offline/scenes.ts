import { fitOnScreen } from '../../on-screen.ts';
import { AD_SECONDS, type Brief, type Mood, type Scene, ScenePlanSchema } from '../../schemas.ts';
import { fitVoiceLine } from '../../voice/voice-line.ts';
import { productName, productPhrase, shortAudience } from './brief-parse.ts';
import { capitalize, clampText, createRng, mixSeed, type Rng } from './common.ts';

type Kind = Scene['kind'];

interface Ctx {
  brief: Brief;
  mood: Mood;
  /** For sentences ("a cold brew subscription"); `name` is for headlines. */
  product: string;
  name: string;
  audience: string;
  tone: string;
}

/** Title ideas per kind; `message` is the key message a feature scene carries. */
const TITLES: Record<Kind, ((c: Ctx, message: string) => string)[]> = {
  hook: [
    (c) => (c.audience.length <= 24 && c.audience.includes(' ') ? `Hey, ${c.audience}!` : 'Stop scrolling.'),
    () => 'Stop scrolling.',
    () => 'You need to see this',
    () => 'Ready for better?',
    (c) => `Meet ${c.name}`,
  ],
  intro: [(c) => c.name, (c) => `Say hello to ${c.name}`, (c) => `Introducing ${c.name}`],
  feature: [(_, m) => m],
  cta: [(c) => c.brief.callToAction],
};

/**
 * What the voice-over says per kind: it adds to the on-screen words instead of reading them
 * out, and fitVoiceLine cuts it to what the scene's length can carry (~2.5 words/s).
 */
const VOICE: Record<Kind, (c: Ctx, message: string) => string> = {
  hook: (c) => `Here is something ${c.audience} will love.`,
  intro: (c) =>
    c.product.toLowerCase() === c.name.toLowerCase()
      ? `Say hello to ${c.name}.`
      : `Meet ${c.name}: ${c.product}.`,
  feature: (_, m) => `${m.replace(/[.!?]+$/u, '')}.`,
  cta: (c) => `${c.brief.callToAction.replace(/[.!?]+$/u, '')}.`,
};

/**
 * Visual ideas per kind: the part that changes when a scene is regenerated. No lettering in
 * the picture: the composer's text layer draws `onScreen`, so words never appear twice.
 */
const VISUALS: Record<Kind, ((c: Ctx) => string)[]> = {
  hook: [
    (c) =>
      `Extreme close-up that snaps into focus on a detail of ${c.product}, framed with room for a headline`,
    (c) => `A relatable moment for ${c.audience}, frozen mid-gesture`,
    () => 'Fast push-in through a doorway of colour onto a single striking shape',
    (c) => `A split-second ${c.tone} reaction shot, face turned to camera`,
  ],
  intro: [
    (c) => `Hero shot of ${c.product} centred on a clean surface, slow orbit, soft light sweep`,
    (c) => `${capitalize(c.product)} revealed from behind a sliding colour panel`,
    (c) => `Hands bring ${c.product} into frame, the camera settles on it`,
  ],
  feature: [
    (c) => `Lifestyle moment: ${c.audience} enjoying the benefit`,
    () => 'Macro detail shot with a gentle rack focus',
    () => 'Before-and-after split screen that resolves into the better side',
    (c) => `Graphic card in the ${c.mood.name} palette with a simple icon`,
  ],
  cta: [
    (c) => `${capitalize(c.product)} front and centre on a clean backdrop`,
    (c) => `Smiling ${c.audience} look to camera and smile`,
    () => 'Everything pulls back to a tidy end frame: the product on brand colours',
  ],
};

function context(brief: Brief, mood: Mood): Ctx {
  const audience = shortAudience(brief.audience);
  return {
    brief,
    mood,
    product: productPhrase(brief.product),
    name: productName(brief.product),
    audience,
    tone: brief.tone[0] ?? 'warm',
  };
}

function stylePrompt(c: Ctx, kind: Kind): string {
  const framing =
    kind === 'hook' ? 'dynamic close framing' : kind === 'cta' ? 'centred end card' : 'vertical 9:16';
  const text = `${c.mood.aesthetic}; ${c.mood.styleKeywords.join(', ')}; ${c.brief.tone.join(', ')} mood; palette ${c.mood.palette.join(' ')}; ${framing}`;
  return clampText(text, 400);
}

function makeScene(c: Ctx, kind: Kind, durationS: number, message: string, rng: Rng, avoid?: Scene): Scene {
  const titles = TITLES[kind];
  const visuals = VISUALS[kind];
  let ti = rng.int(0, titles.length - 1);
  let vi = rng.int(0, visuals.length - 1);
  const title = () => clampText(titles[ti]!(c, message), 60);
  const description = () =>
    clampText(`${visuals[vi]!(c)}. Feels ${c.brief.tone.slice(0, 2).join(' and ')}.`, 400);
  // A regenerated scene must visibly change, so step past the current title and visual.
  if (avoid && description() === avoid.description) vi = (vi + 1) % visuals.length;
  if (avoid && title() === avoid.title && kind !== 'feature' && kind !== 'cta') ti = (ti + 1) % titles.length;
  // The title is the headline; on screen it is cut to the <= 7 words a viewer can read in time.
  const onScreen = fitOnScreen(titles[ti]!(c, message)) || fitOnScreen(c.name);
  return {
    kind,
    durationS,
    title: title(),
    onScreen,
    voiceLine: fitVoiceLine(VOICE[kind](c, message), durationS),
    description: description(),
    stylePrompt: stylePrompt(c, kind),
  };
}

/** Hook 3-4 s, intro 4-6 s, cta 4-6 s; the rest is shared evenly by the feature scenes. */
function durations(featureCount: number, rng: Rng): number[] {
  const hook = rng.int(3, 4);
  const intro = rng.int(4, 6);
  const cta = rng.int(4, 6);
  const rest = AD_SECONDS - hook - intro - cta;
  const base = Math.floor(rest / featureCount);
  const features = Array.from({ length: featureCount }, () => base);
  const order = rng.shuffle(features.map((_, i) => i));
  for (let k = 0; k < rest - base * featureCount; k++) features[order[k]!]! += 1;
  return [hook, intro, ...features, cta];
}

function featureMessages(c: Ctx): string[] {
  const msgs = [...c.brief.keyMessages];
  // Five scenes minimum: a single key message gets a companion scene about the audience.
  if (msgs.length < 2) msgs.push(`Made for ${c.audience}`);
  return msgs.slice(0, 3);
}

export function planScenesOffline(brief: Brief, mood: Mood, seed: number): Scene[] {
  const c = context(brief, mood);
  const rng = createRng(mixSeed(seed, 'scenes'));
  const messages = featureMessages(c);
  const secs = durations(messages.length, rng);
  const kinds: Kind[] = ['hook', 'intro', ...messages.map((): Kind => 'feature'), 'cta'];
  const scenes = kinds.map((kind, i) => {
    const message = kind === 'feature' ? messages[i - 2]! : '';
    return makeScene(c, kind, secs[i]!, message, createRng(mixSeed(seed, `scene-${i}`)));
  });
  return ScenePlanSchema.parse({ scenes }).scenes;
}

export function replanSceneOffline(
  brief: Brief,
  mood: Mood,
  scenes: Scene[],
  index: number,
  seed: number,
): Scene {
  const current = scenes[index];
  if (!current) throw new RangeError(`no scene ${index} in a plan of ${scenes.length}`);
  const c = context(brief, mood);
  const featureIndex = scenes.slice(0, index).filter((s) => s.kind === 'feature').length;
  const message = current.kind === 'feature' ? (featureMessages(c)[featureIndex] ?? current.title) : '';
  const rng = createRng(mixSeed(seed, `replan-${index}`));
  return makeScene(c, current.kind, current.durationS, message, rng, current);
}
