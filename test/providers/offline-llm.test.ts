import { describe, expect, it } from 'vitest';
import { createOfflineLlm } from '../../src/pipeline/providers/offline/llm.ts';
import type { ChatTurn } from '../../src/pipeline/providers/ports.ts';
import { type Brief, BriefSchema, MoodsSchema, ScenePlanSchema } from '../../src/pipeline/schemas.ts';

const llm = createOfflineLlm();

/** Plays a scripted interview the way the bot does: user turn, then our question, repeat. */
async function converse(answers: string[]) {
  const conversation: ChatTurn[] = [];
  const questions: (string | null)[] = [];
  let turn = await llm.briefTurn(conversation);
  for (const text of answers) {
    conversation.push({ role: 'user', text });
    turn = await llm.briefTurn(conversation);
    questions.push(turn.question);
    if (turn.question) conversation.push({ role: 'assistant', text: turn.question });
  }
  return { turn, questions };
}

const BRIEF: Brief = {
  product: 'a cold brew coffee subscription for remote workers',
  audience: 'remote workers who need an afternoon lift',
  tone: ['warm', 'playful'],
  style: ['minimal', 'natural light'],
  keyMessages: ['Fresh every week', 'Cancel anytime', 'No bitter aftertaste'],
  callToAction: 'Order your first box',
};

describe('offline brief interview', () => {
  it('asks one question at a time and completes a brief from scripted answers', async () => {
    const { turn, questions } = await converse([
      'I want an ad for a cold brew coffee subscription for remote workers',
      'Remote workers who need an afternoon lift',
      'warm, playful and confident',
      'minimal / natural light\nfilm grain',
      '- Fresh every week\n- Cancel anytime\n- No bitter aftertaste',
      '"Order your first box"',
    ]);
    expect(questions.slice(0, 5).map((q) => q?.split(/[?.]/)[0])).toEqual([
      'Great! Who is it for',
      'Got it',
      'Nice',
      'Lovely',
      'Last one: what should viewers do at the end',
    ]);
    for (const q of questions.slice(0, 5)) expect(q!.match(/\?/g)?.length).toBe(1);
    expect(turn.complete).toBe(true);
    expect(turn.question).toBeNull();
    const brief = BriefSchema.parse(turn.brief);
    expect(brief.product).toBe('a cold brew coffee subscription for remote workers');
    expect(brief.tone).toEqual(['warm', 'playful', 'confident']);
    expect(brief.style).toEqual(['minimal', 'natural light', 'film grain']);
    expect(brief.keyMessages).toEqual(['Fresh every week', 'Cancel anytime', 'No bitter aftertaste']);
    expect(brief.callToAction).toBe('Order your first box');
  });

  it('re-asks with a hint after an emoji-only or empty answer', async () => {
    const { turn } = await converse(['a yoga mat', '🔥🔥🙌']);
    expect(turn.missing[0]).toBe('audience');
    expect(turn.brief.audience).toBeUndefined();
    expect(turn.question).toMatch(/couldn't read that.*Who is it for/s);
    const empty = await converse(['a yoga mat', 'people who do yoga', '  ']);
    expect(empty.turn.missing[0]).toBe('tone');
    expect(empty.turn.question).toMatch(/couldn't read that/);
  });

  it('treats a greeting as no idea and asks for the product', async () => {
    const turn = await llm.briefTurn([{ role: 'user', text: 'hi!' }]);
    expect(turn.brief).toEqual({});
    expect(turn.question).toMatch(/What are we advertising/);
  });

  it('fills sensible defaults for "skip" / "you choose" but never for the product', async () => {
    const noProduct = await converse(['skip']);
    expect(noProduct.turn.missing[0]).toBe('product');
    expect(noProduct.turn.question).toMatch(/need at least a product/);
    const { turn } = await converse([
      'a cold brew subscription for remote workers',
      'skip',
      'you choose',
      'idk',
      'Surprise me!',
      'up to you',
    ]);
    expect(turn.complete).toBe(true);
    const brief = BriefSchema.parse(turn.brief);
    expect(brief.audience).toBe('remote workers');
    expect(brief.callToAction).toMatch(/subscription/i);
  });

  it('caps list sizes and lengths to the schema limits', async () => {
    const long = 'x'.repeat(80);
    const { turn } = await converse([
      'p'.repeat(500),
      'everyone',
      `a, b, c, d, e, f, g, h, ${long}`,
      `one, two, three, four, five, six, seven, eight, nine, ten`,
      `${'m'.repeat(250)}; two; three; four`,
      'c'.repeat(200),
    ]);
    const brief = BriefSchema.parse(turn.brief);
    expect(brief.tone).toHaveLength(6);
    expect(brief.style).toHaveLength(8);
    expect(brief.keyMessages).toHaveLength(3);
    expect(brief.product.length).toBeLessThanOrEqual(300);
  });
});

describe('offline planning', () => {
  it('plans three distinct, valid moods', async () => {
    for (const seed of [0, 1, 2, 99]) {
      const moods = await llm.planMoods(BRIEF, seed);
      MoodsSchema.parse({ moods });
      expect(new Set(moods.map((m) => m.name)).size).toBe(3);
      expect(new Set(moods.map((m) => m.palette.join())).size).toBe(3);
      for (const m of moods) {
        expect(m.palette).toHaveLength(5);
        expect(m.styleKeywords).toContain('minimal');
        expect(m.description).toMatch(/cold brew/);
      }
    }
  });

  it('plans 5-7 valid scenes summing to 30 s for 1, 2 and 3 key messages', async () => {
    const [mood] = await llm.planMoods(BRIEF, 1);
    for (const n of [1, 2, 3]) {
      const brief = { ...BRIEF, keyMessages: BRIEF.keyMessages.slice(0, n) };
      for (let seed = 0; seed < 25; seed++) {
        const { scenes } = ScenePlanSchema.parse(await llm.planScenes(brief, mood!, seed));
        expect(scenes.reduce((s, x) => s + x.durationS, 0)).toBe(30);
        expect(scenes.length).toBe(Math.max(2, n) + 3);
        expect(scenes[0]!.kind).toBe('hook');
        expect(scenes[0]!.durationS).toBeGreaterThanOrEqual(3);
        expect(scenes[0]!.durationS).toBeLessThanOrEqual(4);
        expect(scenes[1]!.kind).toBe('intro');
        expect(scenes.at(-1)!.kind).toBe('cta');
        expect(scenes.at(-1)!.title).toBe('Order your first box');
        expect(scenes.filter((s) => s.kind === 'feature').map((s) => s.title)).toEqual(
          expect.arrayContaining(brief.keyMessages),
        );
      }
    }
  });

  it('writes the on-screen words: hook first, key messages, the call to action last, <= 7 words', async () => {
    const [mood] = await llm.planMoods(BRIEF, 1);
    const longCta =
      'Order your first box today and get a second box free with the code BREW at checkout, only this week';
    const brief = { ...BRIEF, callToAction: longCta };
    for (let seed = 0; seed < 10; seed++) {
      const { scenes } = ScenePlanSchema.parse(await llm.planScenes(brief, mood!, seed));
      for (const s of scenes) {
        expect(s.onScreen.length).toBeGreaterThan(0);
        expect(s.onScreen.split(' ').length).toBeLessThanOrEqual(7);
      }
      expect(scenes[0]!.onScreen).toBe(scenes[0]!.title);
      expect(scenes.at(-1)!.onScreen).toBe('Order your first box today and get');
      expect(scenes.filter((s) => s.kind === 'feature').map((s) => s.onScreen)).toEqual(
        expect.arrayContaining(BRIEF.keyMessages),
      );
    }
  });

  it('is deterministic for a seed and varies across seeds', async () => {
    const [mood] = await llm.planMoods(BRIEF, 3);
    expect(await llm.planMoods(BRIEF, 3)).toEqual(await llm.planMoods(BRIEF, 3));
    expect(await llm.planScenes(BRIEF, mood!, 7)).toEqual(await llm.planScenes(BRIEF, mood!, 7));
    const plans = await Promise.all([1, 2, 3, 4].map((s) => llm.planScenes(BRIEF, mood!, s)));
    expect(new Set(plans.map((p) => JSON.stringify(p))).size).toBeGreaterThan(1);
    const moodSets = await Promise.all([1, 2, 3, 4, 5].map((s) => llm.planMoods(BRIEF, s)));
    expect(new Set(moodSets.map((m) => JSON.stringify(m))).size).toBeGreaterThan(1);
  });

  it('replans one scene with the same kind and duration but a new take', async () => {
    const [mood] = await llm.planMoods(BRIEF, 1);
    const { scenes } = await llm.planScenes(BRIEF, mood!, 1);
    for (let i = 0; i < scenes.length; i++) {
      for (const seed of [1, 2]) {
        const next = await llm.replanScene(BRIEF, mood!, scenes, i, seed);
        expect(next.kind).toBe(scenes[i]!.kind);
        expect(next.durationS).toBe(scenes[i]!.durationS);
        expect(next.description).not.toBe(scenes[i]!.description);
      }
    }
  });

  it('headlines a brand by its name, not the whole product sentence', async () => {
    const brief = {
      ...BRIEF,
      product: 'Brewline, a cold brew coffee subscription delivered every two weeks',
    };
    const [mood] = await llm.planMoods(brief, 1);
    for (const seed of [1, 2, 3]) {
      const { scenes } = await llm.planScenes(brief, mood!, seed);
      expect(scenes[1]!.title).toMatch(/^(?:Brewline|Say hello to Brewline|Introducing Brewline)$/);
    }
  });

  it('keeps long briefs inside every schema limit', async () => {
    const brief: Brief = {
      ...BRIEF,
      product: `${'very '.repeat(55)}long product`,
      audience: 'a'.repeat(300),
      keyMessages: ['k'.repeat(200), 'l'.repeat(200), 'm'.repeat(200)],
      callToAction: 'c'.repeat(120),
    };
    const moods = MoodsSchema.parse({ moods: await llm.planMoods(brief, 4) }).moods;
    ScenePlanSchema.parse(await llm.planScenes(brief, moods[2]!, 4));
  });
});
