import { describe, expect, it } from 'vitest';
import { fitOnScreen, ON_SCREEN_MAX_WORDS, wordCount } from '../../src/pipeline/on-screen.ts';
import { BriefSchema, describeIssues, SceneSchema } from '../../src/pipeline/schemas.ts';

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
