import type { BrandHint } from '../../brand.ts';
import { mix } from '../../media/contrast.ts';
import { type Brief, type Mood, MoodsSchema } from '../../schemas.ts';
import { productPhrase } from './brief-parse.ts';
import { clampText, createRng, mixSeed } from './common.ts';

type Energy = 'calm' | 'medium' | 'energetic';

interface MoodTemplate {
  name: string;
  energy: Energy;
  /** Tone/style words that make this direction a good fit. */
  affinity: RegExp;
  keywords: string[];
  /** Two background colours, two accents, then ink: the offline images use this order. */
  palette: string[];
  aesthetic: string;
  tempo: [number, number];
  describe: (product: string, audience: string) => string;
}

const TEMPLATES: MoodTemplate[] = [
  {
    name: 'Sunlit Minimal',
    energy: 'calm',
    affinity: /minimal|clean|calm|fresh|light|airy|simple|bright|morning/i,
    keywords: ['soft daylight', 'negative space', 'linen textures'],
    palette: ['#F7F1E8', '#E8D8C4', '#F2B880', '#9CAF88', '#3D3A35'],
    aesthetic: 'Bright morning light, airy compositions, one object in focus, gentle shadows',
    tempo: [84, 92],
    describe: (p, a) =>
      `Calm, sun-washed frames with room to breathe: ${p} as an easy daily ritual for ${a}.`,
  },
  {
    name: 'Neon Night',
    energy: 'energetic',
    affinity: /neon|night|bold|energetic|urban|electric|edgy|young|gaming|futur/i,
    keywords: ['neon glow', 'city night', 'reflections'],
    palette: ['#1B1035', '#0D0B1E', '#FF3CAC', '#2BD2FF', '#F5F3FF'],
    aesthetic: 'After-dark city glow, magenta and cyan rim light, wet reflections, fast cuts',
    tempo: [120, 128],
    describe: (p, a) => `Electric after-dark energy: ${p} glowing in neon for ${a} who live at full speed.`,
  },
  {
    name: 'Editorial Warm',
    energy: 'medium',
    affinity: /warm|editorial|cozy|premium|story|inviting|human|authentic|natural/i,
    keywords: ['editorial', 'warm tones', 'tactile detail'],
    palette: ['#F4E4D4', '#C9A58A', '#C8553D', '#588B8B', '#2B2118'],
    aesthetic: 'Magazine-style layouts, warm terracotta and teal, close-up textures, confident type',
    tempo: [100, 108],
    describe: (p, a) => `A warm, magazine-like story that shows ${p} in real moments that ${a} recognise.`,
  },
  {
    name: 'Bold Pop',
    energy: 'energetic',
    affinity: /bold|playful|fun|pop|colou?rful|vibrant|quirky|upbeat|happy|energetic/i,
    keywords: ['colour blocking', 'graphic shapes', 'punchy type'],
    palette: ['#FFE156', '#FF6B6B', '#4D96FF', '#6BCB77', '#1D1D1F'],
    aesthetic: 'Flat colour blocks, playful geometric shapes, big punchy headlines, quick rhythm',
    tempo: [122, 128],
    describe: (p, a) => `Loud, joyful colour blocking that makes ${p} impossible to scroll past for ${a}.`,
  },
  {
    name: 'Nature Calm',
    energy: 'calm',
    affinity: /nature|organic|calm|green|eco|gentle|relax|wellness|sustainab|soft|reassuring/i,
    keywords: ['organic', 'leafy greens', 'slow motion'],
    palette: ['#E9F0E4', '#A7C4A0', '#5E8C61', '#D9B26F', '#24352A'],
    aesthetic: 'Leaf shadows, morning dew, earthy greens, slow and unhurried movement',
    tempo: [80, 88],
    describe: (p, a) => `Slow, grounded and green: ${p} as a breath of fresh air for ${a}.`,
  },
  {
    name: 'Retro Film',
    energy: 'medium',
    affinity: /retro|vintage|film|nostalg|grain|analog|70s|80s|classic|cinematic/i,
    keywords: ['film grain', 'retro', 'golden hour'],
    palette: ['#F3E0C0', '#E0A458', '#C1666B', '#48639C', '#2E2A24'],
    aesthetic: 'Faded 35 mm colour, golden-hour flares, rounded retro type, a nostalgic wink',
    tempo: [96, 104],
    describe: (p, a) => `Golden-hour nostalgia on 35 mm film: ${p} feels like a favourite memory for ${a}.`,
  },
  {
    name: 'Tech Clean',
    energy: 'medium',
    affinity: /tech|smart|modern|clean|sleek|confident|innovative|digital|optimistic|precise/i,
    keywords: ['sleek', 'precise', 'soft gradients'],
    palette: ['#EEF2FF', '#C7D2FE', '#6366F1', '#22D3EE', '#0F172A'],
    aesthetic: 'Crisp gradients, floating UI-like cards, precise motion, cool blues and violet',
    tempo: [108, 116],
    describe: (p, a) => `Sleek and precise: ${p} presented as the smart, effortless choice for ${a}.`,
  },
  {
    name: 'Luxe Dark',
    energy: 'calm',
    affinity: /luxur|elegant|premium|dark|moody|sophisticat|exclusive|aspiration|rich/i,
    keywords: ['moody', 'gold accents', 'low key light'],
    palette: ['#2A2420', '#121010', '#C9A227', '#8C6E54', '#F5EFE6'],
    aesthetic: 'Low-key lighting, deep shadows, gold highlights, slow elegant reveals',
    tempo: [84, 92],
    describe: (p, a) => `Dark, rich and unhurried: ${p} revealed like a luxury piece for ${a}.`,
  },
];

/**
 * A brand's colours take the accent slots (palette order: two backgrounds, two accents, ink) and
 * tint the backgrounds a little, so the three directions still differ in light and feel but every
 * one carries the brand. A third brand colour (its text colour) becomes the ink.
 */
export function onBrand(mood: Mood, brand: BrandHint): Mood {
  const [primary, secondary = primary, text] = brand.colours as [string, string?, string?];
  const p = mood.palette;
  const palette = [mix(p[0]!, primary, 0.15), mix(p[1]!, primary, 0.25), primary, secondary, text ?? p[4]!];
  return { ...mood, palette: palette.slice(0, Math.max(4, p.length)) };
}

function toMood(t: MoodTemplate, brief: Brief, seed: number): Mood {
  const rng = createRng(mixSeed(seed, t.name));
  const product = productPhrase(brief.product);
  const audience = clampText(brief.audience, 120);
  const styleWords = [...brief.style.slice(0, 3), ...t.keywords].map((w) => clampText(w, 40));
  const keywords = [...new Map(styleWords.map((w) => [w.toLowerCase(), w])).values()].slice(0, 8);
  return {
    name: t.name,
    description: clampText(t.describe(product, audience), 400),
    styleKeywords: keywords,
    palette: [...t.palette],
    aesthetic: clampText(t.aesthetic, 200),
    tempoBpm: rng.int(t.tempo[0], t.tempo[1]),
  };
}

/**
 * Scores each template by how well it matches the brief's tone and style words, plus a seeded
 * jitter; the second pick must differ in energy from the first so the three directions really
 * diverge (a calm, a medium and an energetic option where the library allows it).
 */
export function planMoodsOffline(brief: Brief, seed: number, brand?: BrandHint | null): Mood[] {
  const rng = createRng(mixSeed(seed, 'moods'));
  const words = [...brief.tone, ...brief.style].join(' ');
  const scored = TEMPLATES.map((t) => {
    const hits = words.split(/\s+/).filter((w) => w && t.affinity.test(w)).length;
    return { t, score: Math.min(hits, 2) + rng.next() * 1.5 };
  }).sort((a, b) => b.score - a.score);
  const picked = [scored[0]!.t];
  const second = scored.find((s) => s.t.energy !== picked[0]!.energy) ?? scored[1]!;
  picked.push(second.t);
  const third =
    scored.find((s) => !picked.includes(s.t) && !picked.some((p) => p.energy === s.t.energy)) ??
    scored.find((s) => !picked.includes(s.t))!;
  picked.push(third.t);
  const moods = picked.map((t) => toMood(t, brief, seed));
  return MoodsSchema.parse({ moods: brand?.colours.length ? moods.map((m) => onBrand(m, brand)) : moods })
    .moods;
}
