import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { fitOnScreen, ON_SCREEN_MAX_WORDS, productLabel, wordCount } from '../../src/pipeline/on-screen.ts';
import { BriefSchema, describeIssues, SceneSchema } from '../../src/pipeline/schemas.ts';
import { endCardColours, planTextLayer } from '../../src/pipeline/steps/text-layer.ts';

const scene = (onScreen: unknown) => ({
  kind: 'feature',
  durationS: 5,
  title: 'T',
  onScreen,
  description: 'A scene',
  stylePrompt: 'soft light',
});

describe('on-screen text (Scene.onScreen)', () => {
  it('keeps a short line as it is', () => {
    expect(SceneSchema.parse(scene('Smooth, never bitter')).onScreen).toBe('Smooth, never bitter');
  });

  it('shortens an over-long LLM line to <= 7 words instead of failing', () => {
    const long = 'Our cold brew is smooth, never bitter, and delivered fresh to your door every single week';
    const parsed = SceneSchema.parse(scene(long)).onScreen;
    expect(wordCount(parsed)).toBeLessThanOrEqual(ON_SCREEN_MAX_WORDS);
    expect(parsed).toBe('Our cold brew is smooth, never bitter');
  });

  it('turns line breaks and control characters into spaces', () => {
    expect(fitOnScreen('Fresh\nevery\r\n\tweek\u0000')).toBe('Fresh every week');
  });

  it('caps unspaced scripts by characters', () => {
    const zh = '冷萃咖啡每周新鲜送到您家门口让您每天都精神百倍';
    expect([...fitOnScreen(zh)].length).toBe(16);
  });

  it('refuses only an empty line, with a plain reason', () => {
    const r = SceneSchema.safeParse(scene(' \n '));
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toBe('onScreen: on-screen text must not be empty');
  });

  it('refuses a 200-character call to action in a brief, saying why', () => {
    const brief = {
      product: 'Brewline',
      audience: 'commuters',
      tone: ['warm'],
      style: ['clean'],
      keyMessages: ['Smooth'],
      callToAction: 'x'.repeat(200),
    };
    const r = BriefSchema.safeParse(brief);
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toBe('callToAction: must be at most 120 characters');
  });
});

describe('the text layer from a plan (steps/text-layer.ts)', () => {
  const mood = {
    name: 'M',
    description: 'd',
    styleKeywords: ['a', 'b'],
    palette: ['#f4a261', '#e9c46a', '#2a9d8f', '#264653'],
    aesthetic: 'a',
    tempoBpm: 100,
  };
  const brief = {
    product: 'Brewline, a cold brew coffee subscription',
    audience: 'commuters',
    tone: ['warm'],
    style: ['clean'],
    keyMessages: ['Smooth'],
    callToAction: 'Order your first box today and save on every delivery you make',
  };
  const scenes = [4, 6, 6, 6, 8].map((durationS, i) => ({
    kind: 'feature' as const,
    durationS,
    title: `Title number ${i} with quite a few words in it`,
    onScreen: `Words ${i}`,
    description: 'd',
    stylePrompt: 's',
  }));

  it('names the product, puts the last scene words on the end card, colours from the mood', () => {
    expect(productLabel(brief.product)).toBe('Brewline');
    expect(productLabel('a cold brew coffee subscription for remote workers')).toBe(
      'Cold brew coffee subscription',
    );
    const layer = planTextLayer(scenes, brief, mood, PROFILES.final);
    const texts = layer.items.filter((i) => i.kind === 'text');
    expect(texts.find((t) => t.role === 'product' && t.startS >= layer.endCard.startS)!.lines).toEqual([
      'Brewline',
    ]);
    expect(texts.find((t) => t.role === 'cta')!.lines.join(' ')).toBe('Words 4');
    expect(texts.find((t) => t.role === 'cta')!.backing!.colour).toBe('#e9c46a');
    expect(endCardColours(mood.palette)).toEqual({ panel: '#264653', accent: '#e9c46a' });
  });

  it('a brand kit overrides colours and adds the URL; old plans fall back to the title', () => {
    const legacy = scenes.map(({ onScreen: _, ...s }) => s) as unknown as typeof scenes;
    const layer = planTextLayer(legacy, brief, mood, PROFILES.draft, {
      url: 'brewline.example',
      colours: { accent: '#ff0000' },
    });
    const texts = layer.items.filter((i) => i.kind === 'text');
    expect(texts[0]!.lines.join(' ')).toBe('Title number 0 with quite a few');
    expect(texts.find((t) => t.role === 'url')!.lines).toEqual(['brewline.example']);
    expect(texts.find((t) => t.role === 'cta')!.backing!.colour).toBe('#ff0000');
  });
});
