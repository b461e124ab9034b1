import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { BrandKitSchema, brandHint } from '../../src/pipeline/brand.ts';
import { planMoodsOffline } from '../../src/pipeline/providers/offline/moods.ts';
import { createOpenAiLlm } from '../../src/pipeline/providers/openai/llm.ts';
import { dataBlock } from '../../src/pipeline/providers/openai/prompts.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';

const hint = brandHint(
  BrandKitSchema.parse({ name: 'Brewline', colours: { primary: '#0b6e4f', secondary: '#f2c14e' } }),
)!;

describe('planners respect the brand colours', () => {
  it('offline: every direction carries the brand colours, and the three still differ', () => {
    const plain = planMoodsOffline(DEMO_BRIEF, 3);
    const branded = planMoodsOffline(DEMO_BRIEF, 3, hint);
    expect(branded.map((m) => m.name)).toEqual(plain.map((m) => m.name));
    for (const m of branded) expect(m.palette).toEqual(expect.arrayContaining(['#0b6e4f', '#f2c14e']));
    expect(new Set(branded.map((m) => m.palette.join())).size).toBe(3);
    for (const m of plain) expect(m.palette).not.toContain('#0b6e4f');
  });

  describe('OpenAI (real client, loopback fake)', () => {
    let fake: FakeOpenAI;
    beforeAll(async () => {
      fake = await startFakeOpenAI();
    });
    afterAll(() => fake.close());
    const llm = () =>
      createOpenAiLlm({
        apiKey: fake.apiKey,
        baseURL: fake.url,
        model: 'gpt-4o',
        maxRetries: 0,
        timeoutMs: 5000,
      });

    it('sends the brand as a data block with the rule to keep its colours, for moods and scenes', async () => {
      const moods = await llm().planMoods(DEMO_BRIEF, 1, hint);
      const [system, user] = fake.requests.at(-1)!.body.messages;
      expect(system!.content).toMatch(/brand colours: every direction must\s+respect them/);
      expect(user!.content).toContain(dataBlock('brand', hint));
      await llm().planScenes(DEMO_BRIEF, moods[0]!, 2, hint);
      const scenes = fake.requests.at(-1)!.body.messages;
      expect(scenes[0]!.content).toContain('<brand> colours');
      expect(scenes[1]!.content).toContain('#f2c14e');
    });

    it('sends no brand block without a kit', async () => {
      await llm().planMoods(DEMO_BRIEF, 1, null);
      const [system, user] = fake.requests.at(-1)!.body.messages;
      expect(system!.content).not.toContain('brand colours');
      expect(user!.content).not.toContain('<brand>');
    });
  });
});
