import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { extractiveSummary, HISTORY_LIMITS, windowStart } from '../../src/pipeline/brief-history.ts';
import { interview } from '../../src/pipeline/providers/offline/brief.ts';
import type { ChatTurn } from '../../src/pipeline/providers/ports.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const turnsOf = (n: number, size: number): ChatTurn[] =>
  Array.from({ length: n }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    text: `${i % 2 ? 'Question' : 'Answer'} ${i}. ${'x'.repeat(size)}`,
  }));

describe('bounded brief history (pure parts)', () => {
  it('keeps at most 8 turns and 6000 characters, opening on a question, the newest always', () => {
    expect(windowStart(turnsOf(5, 10))).toBe(0);
    const many = turnsOf(51, 10);
    const start = windowStart(many);
    expect(many.length - start).toBeLessThanOrEqual(8);
    expect(many[start]!.role).toBe('assistant');
    const long = turnsOf(21, 1400);
    const s2 = windowStart(long);
    expect(long.slice(s2).reduce((n, t) => n + t.text.length, 0)).toBeLessThanOrEqual(6000);
    expect(windowStart([{ role: 'user', text: 'y'.repeat(9000) }])).toBe(0);
  });

  it('the extractive summary is deterministic, keeps the newest answers and stays under its cap', () => {
    let summary: string | null = null;
    const turns = turnsOf(200, 300);
    for (let i = 0; i < turns.length; i += 4) summary = extractiveSummary(summary, turns.slice(i, i + 4));
    expect(summary!.length).toBeLessThanOrEqual(HISTORY_LIMITS.summaryChars);
    expect(summary).toContain('Answer 198.');
    expect(summary).not.toContain('Question');
    expect(extractiveSummary(null, turns.slice(0, 8))).toBe(extractiveSummary(null, turns.slice(0, 8)));
  });

  it('offline: replaying the recent window over the brief so far gives the same brief as the whole talk', () => {
    const talk: ChatTurn[] = [{ role: 'user', text: 'a cold brew subscription for remote workers' }];
    for (const answer of [
      'remote workers aged 25-40',
      'warm, bold',
      'sunlit, clean',
      'Fresh weekly; Cancel anytime',
    ]) {
      talk.push({ role: 'assistant', text: interview(talk).question! });
      talk.push({ role: 'user', text: answer });
    }
    const before = interview(talk.slice(0, -1)).brief;
    const whole = interview(talk);
    const start = talk.length - 3;
    expect(interview(talk.slice(start), before)).toEqual(whole);
  });
});

describe('bounded brief history at the OpenAI fake', () => {
  let fake: FakeOpenAI;
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-history-'));
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('50 turns: every request stays bounded and older turns arrive as a summary', async () => {
    fake = await startFakeOpenAI();
    // A client who never finishes the brief: the model keeps asking.
    fake.setDefault('brief_turn', () => ({
      brief: {
        product: 'Cold brew',
        audience: null,
        tone: null,
        style: null,
        keyMessages: null,
        callToAction: null,
      },
      complete: false,
      question: 'Who is it for?',
    }));
    const config = loadConfig({
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      OPENAI_MAX_RETRIES: '0',
    });
    const chat = createRecordingAdapter();
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger });
    await chat.command('UREQ', 'cold brew coffee');
    for (let i = 1; i < 50; i++)
      await chat.say('t1', 'UREQ', `reply ${i}: ${'some detail about the idea '.repeat(12)}`);
    const briefs = fake.requests.filter((r) => r.name === 'brief_turn');
    expect(briefs).toHaveLength(50);
    const size = (r: (typeof briefs)[number]) => JSON.stringify(r.body.messages).length;
    const sizes = briefs.map(size);
    // Grows at first, then flat: the 50th request is no bigger than a bounded window + summary.
    const bound = 6000 + HISTORY_LIMITS.summaryChars + 4000; // + system prompts and JSON framing
    expect(Math.max(...sizes)).toBeLessThan(bound);
    expect(sizes[49]!).toBeLessThan(sizes[10]! + 2500);
    const last = briefs[49]!.body.messages;
    expect(last.filter((m) => m.role !== 'system').length).toBeLessThanOrEqual(8);
    expect(last.some((m) => m.role === 'system' && m.content.includes('<earlier>'))).toBe(true);
    expect(last.at(-1)!.content).toMatch(/^reply 49:/);
    // The summary is made from the turns leaving the window, a few at a time, each call bounded.
    const summaries = fake.requests.filter((r) => r.name === 'conversation_summary');
    expect(summaries.length).toBeGreaterThan(5);
    expect(Math.max(...summaries.map(size))).toBeLessThan(HISTORY_LIMITS.summaryChars + 4 * 1500 + 2000);
    const state = await bot.app.stores.threads.get(`console:C1:t1`);
    expect(state!.history!.summary.length).toBeLessThanOrEqual(HISTORY_LIMITS.summaryChars);
  }, 60_000);
});
