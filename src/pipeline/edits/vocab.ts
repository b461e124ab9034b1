/**
 * Words the offline interpreter maps without an LLM (README "Edits in words" lists them). Kept as
 * data so the README, the rules and the tests read the same list.
 */

/** Time of day and places a scene can be moved to: the words added to its description and look. */
export const SETTINGS: { match: RegExp; phrase: string; look: string }[] = [
  {
    match: /\b(?:at |by )?night(?:time)?\b/,
    phrase: 'at night',
    look: 'night-time, moonlight, deep blue shadows, warm practical lights',
  },
  {
    match: /\b(?:at )?(?:sunset|golden hour)\b/,
    phrase: 'at sunset',
    look: 'golden hour, low warm sun, long shadows',
  },
  {
    match: /\b(?:at )?(?:sunrise|dawn)\b|\bin the morning\b/,
    phrase: 'at sunrise',
    look: 'soft dawn light, pale warm sky',
  },
  {
    match: /\b(?:at )?dusk\b|\bin the evening\b/,
    phrase: 'at dusk',
    look: 'blue hour, first lights coming on',
  },
  {
    match: /\bin the rain\b|\braining\b|\brainy\b/,
    phrase: 'in the rain',
    look: 'rain, wet reflections, overcast light',
  },
  {
    match: /\bin the snow\b|\bsnowy\b|\bsnowing\b/,
    phrase: 'in the snow',
    look: 'snow, crisp cold daylight',
  },
  {
    match: /\bon (?:a|the) beach\b|\bat the beach\b/,
    phrase: 'on a beach',
    look: 'sand and sea, bright open daylight',
  },
  {
    match: /\bin the city\b|\bdowntown\b|\bon a city street\b/,
    phrase: 'on a city street',
    look: 'urban street, storefront light',
  },
  {
    match: /\bin (?:a|the) forest\b|\bin the woods\b/,
    phrase: 'in a forest',
    look: 'dappled forest light, greens',
  },
  {
    match: /\bin (?:an|the) office\b/,
    phrase: 'in an office',
    look: 'clean office, daylight through windows',
  },
  {
    match: /\bin (?:a|the) studio\b/,
    phrase: 'in a studio',
    look: 'seamless studio backdrop, softbox light',
  },
  { match: /\boutdoors?\b|\boutside\b/, phrase: 'outdoors', look: 'natural daylight, open sky' },
];

/** Earlier time-of-day phrases a new one replaces ("at night" after "at sunrise"). */
export const TIME_PHRASES =
  /,?\s*\b(?:at night|at sunset|at sunrise|at dusk|at dawn|in the morning|in the evening|in the rain|in the snow)\b/gi;

/** Music mood words: which way the tempo goes. */
export const SLOWER =
  /\b(calm(?:er)?|slow(?:er)?|soft(?:er)?|relax(?:ed|ing)?|chill(?:er)?|gentle(?:r)?|quiet(?:er)?|mellow(?:er)?|ambient|lo-?fi)\b/;
export const FASTER =
  /\b(upbeat|fast(?:er)?|energetic|livel(?:y|ier)|punch(?:y|ier)|happ(?:y|ier)|loud(?:er)?|driving|bouncy|hype)\b/;

/** Tone words for "make it more playful"; comparatives map to the word the brief keeps. */
export const TONES: Record<string, string> = {
  playful: 'playful',
  bold: 'bold',
  bolder: 'bold',
  warm: 'warm',
  warmer: 'warm',
  calm: 'calm',
  calmer: 'calm',
  energetic: 'energetic',
  fun: 'fun',
  funnier: 'funny',
  funny: 'funny',
  serious: 'serious',
  premium: 'premium',
  luxurious: 'luxurious',
  friendly: 'friendly',
  friendlier: 'friendly',
  edgy: 'edgy',
  edgier: 'edgy',
  cheerful: 'cheerful',
  elegant: 'elegant',
  minimal: 'minimal',
  quirky: 'quirky',
  dramatic: 'dramatic',
  emotional: 'emotional',
  confident: 'confident',
  cozy: 'cozy',
  cosy: 'cosy',
  modern: 'modern',
  youthful: 'youthful',
  professional: 'professional',
};

/** Words that make a message read as a change request even when nothing else matched. */
export const CHANGE_WORDS =
  /\b(change|make|replace|swap|switch|move|more|less|add|remove|drop|use|put|instead|shorter|longer|different|new|edit|redo|fix|darker|brighter|should)\b/;
