import { describe, expect, it } from 'vitest';
import { BriefSchema, describeIssues, ScenePlanSchema, sceneStarts } from '../../src/pipeline/schemas.ts';

const scene = (durationS: number, kind = 'feature') => ({
  kind,
  durationS,
  title: 'T',
  onScreen: 'Words',
  description: 'A scene',
  stylePrompt: 'soft light',
});

describe('schemas', () => {
  it('accepts 5-7 scenes that sum to 30 s', () => {
    const plan = { scenes: [scene(4, 'hook'), scene(6, 'intro'), scene(7), scene(7), scene(6, 'cta')] };
    expect(ScenePlanSchema.parse(plan).scenes).toHaveLength(5);
    expect(sceneStarts(plan.scenes)).toEqual([0, 4, 10, 17, 24]);
  });

  it('rejects a plan whose durations do not sum to 30 s, naming the sum', () => {
    const r = ScenePlanSchema.safeParse({ scenes: [scene(4), scene(5), scene(5), scene(5), scene(5)] });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/sum to 24 s, must be 30 s/);
  });

  it('rejects too few scenes and out-of-range durations', () => {
    expect(ScenePlanSchema.safeParse({ scenes: [scene(10), scene(10), scene(10)] }).success).toBe(false);
    const r = ScenePlanSchema.safeParse({ scenes: [scene(2), scene(7), scene(7), scene(7), scene(7)] });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/scenes\.0\.durationS/);
  });

  it('names the missing brief field', () => {
    const r = BriefSchema.safeParse({
      product: 'x',
      audience: 'y',
      tone: ['a'],
      style: ['b'],
      keyMessages: ['k'],
    });
    expect(r.success).toBe(false);
    if (!r.success) expect(describeIssues(r.error)).toMatch(/callToAction/);
  });
});
