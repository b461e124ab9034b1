import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { createOpenAiLlm } from '../../src/pipeline/providers/openai/llm.ts';
import type { Llm } from '../../src/pipeline/providers/ports.ts';
import { MoodSchema } from '../../src/pipeline/schemas.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';

let fake: FakeOpenAI;
let llm: Llm;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  llm = createOpenAiLlm({
    apiKey: fake.apiKey,
    baseURL: fake.url,
    model: 'llama3',
    maxRetries: 0,
    timeoutMs: 5_000,
  });
});
afterAll(() => fake.close());

const mood = (name: string, palette: string[]) => ({
  name,
  description: `${name}: a direction.`,
  styleKeywords: ['cinematic', 'clean'],
  palette,
  aesthetic: `${name} art direction.`,
  tempoBpm: 100,
});
const moods = {
  moods: [
    mood('Short Hex', ['#abc', '#F0A', '#123456', '#fff']),
    mood('Upper Case', ['#AABBCC', '#Ff00A0', '#00f0ff', '#F5F5F5', '#7B2CBF']),
    mood('Plain', ['#fefae0', '#dda15e', '#606c38', '#283618']),
  ],
};

describe('answers from OpenAI-compatible servers are read without a repair round', () => {
  it('short and upper-case hex colours are accepted and stored as lower-case #rrggbb', async () => {
    fake.script('mood_directions', { json: moods });
    const before = fake.count('mood_directions');
    const out = await llm.planMoods(DEMO_BRIEF, 1);
    expect(fake.count('mood_directions') - before).toBe(1);
    expect(out[0]!.palette).toEqual(['#aabbcc', '#ff00aa', '#123456', '#ffffff']);
    expect(out[1]!.palette).toEqual(['#aabbcc', '#ff00a0', '#00f0ff', '#f5f5f5', '#7b2cbf']);
  });

  it('JSON in a ```json fence after a sentence of prose is read as the answer', async () => {
    fake.script('mood_directions', {
      raw: `Sure! Here are three directions:\n\n\`\`\`json\n${JSON.stringify(moods, null, 2)}\n\`\`\`\nEnjoy.`,
    });
    const before = fake.count('mood_directions');
    const out = await llm.planMoods(DEMO_BRIEF, 1);
    expect(fake.count('mood_directions') - before).toBe(1);
    expect(out.map((m) => m.name)).toEqual(['Short Hex', 'Upper Case', 'Plain']);
  });

  it('JSON after leading prose with no fence is read too', async () => {
    fake.script('mood_directions', { raw: `Here is the JSON: ${JSON.stringify(moods)}` });
    const before = fake.count('mood_directions');
    await expect(llm.planMoods(DEMO_BRIEF, 1)).resolves.toHaveLength(3);
    expect(fake.count('mood_directions') - before).toBe(1);
  });

  it('an answer with no JSON at all is still a plain error, not a crash', async () => {
    fake.script('mood_directions', { raw: 'I am not sure what you mean.' });
    await expect(llm.planMoods(DEMO_BRIEF, 1)).rejects.toMatchObject({ code: 'llm_invalid_json' });
  });

  it('colours that are not hex at all are still refused', () => {
    for (const bad of ['#abcd', 'abc', '#ggg', 'red'])
      expect(MoodSchema.safeParse(mood('X', [bad, '#000', '#111', '#222'])).success, bad).toBe(false);
  });
});
