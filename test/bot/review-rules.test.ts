import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { executions } from '../helpers/app.ts';
import { createRecordingAdapter, type Posted } from '../helpers/recording-adapter.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-rules-'));
const config = loadConfig({
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  // Slow enough that reactions and clicks land while mood boards are being regenerated.
  ADGEN_OFFLINE_LATENCY_MS: '400',
  ADGEN_APPROVALS_REQUIRED: '2',
  ADGEN_REVIEWERS: 'UREVIEW',
});

const ANSWERS = [
  'remote workers',
  'warm, bold',
  'sunlit, clean',
  'Fresh every week; Cancel anytime',
  'Order now',
];

describe('review rules: card identity, votes, who may act', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
  });
  afterAll(async () => {
    await bot.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const cards = (action: string, thread: string) =>
    chat.posts.filter(
      (p) =>
        p.thread === thread &&
        (p.card.buttons?.some((b) => b.action === action) ||
          p.card.selects?.some((s) => s.action === action)),
    );
  const lastPrivate = () => chat.privates.at(-1)?.text ?? '';

  async function briefed(): Promise<string> {
    await chat.command('UREQ', 'a cold brew subscription');
    const thread = chat.posts.at(-1)!.thread;
    for (const a of ANSWERS) await chat.say(thread, 'UREQ', a);
    const brief = await chat.waitFor(() => cards('brief.confirm', thread).at(-1));
    await chat.click(thread, 'UREQ', brief.id, 'brief.confirm', 'ok');
    await chat.waitFor(() => cards('mood.select', thread).length === 3);
    return thread;
  }

  it('votes and clicks while mood boards are regenerated never run a step; old cards are refused', async () => {
    const thread = await briefed();
    const runId = (await bot.app.runs.list())[0]!.id;
    const first = cards('mood.select', thread);
    const prompt = await chat.waitFor(() => cards('mood.regenerate', thread).at(-1));
    await chat.click(thread, 'UREQ', prompt.id, 'mood.regenerate', 'all');
    const before = executions(bot.app.db, runId);
    // While the new boards are being made: votes on the old cards, a Select on an old card.
    await chat.react('USTRANGER', first[0]!.id, 'other');
    await chat.react('UREQ', first[1]!.id, 'vote-2');
    await chat.click(thread, 'UREQ', first[2]!.id, 'mood.select', '2');
    expect(lastPrivate()).toMatch(/replaced by a newer one/);
    await chat.waitFor(() => cards('mood.select', thread).length === 6, 60_000);
    const after = executions(bot.app.db, runId);
    for (const [id, row] of before) expect(after.get(id)?.executions, id).toBe(row.executions);
    // The old cards were retired (no buttons left) and never show a board of the new set.
    for (const old of first) expect(old.updates.at(-1)?.buttons ?? []).toEqual([]);
    expect((await bot.app.workflow.view(runId)).input.moodChoice).toBeNull();
    // A vote on a current card counts; ❌ on a mood card is a cancel request, not a vote.
    const fresh = cards('mood.select', thread).slice(3);
    await chat.react('USTRANGER', fresh[0]!.id, 'other');
    await chat.waitFor(() => fresh[0]!.updates.at(-1)?.footer?.startsWith('1 vote'));
    await chat.react('USTRANGER', fresh[1]!.id, 'cancel');
    expect(lastPrivate()).toMatch(/Only <@UREQ>/);
    expect(fresh[1]!.updates.at(-1)?.footer ?? fresh[1]!.card.footer).toMatch(/^0 votes/);
    // A forged button value gets a plain sentence, never validation output.
    await chat.click(thread, 'UREQ', fresh[0]!.id, 'mood.select', '{"x":1}');
    expect(lastPrivate()).toMatch(/not valid/);
    expect(lastPrivate()).not.toMatch(/[{}[\]]|zod|invalid_type/i);
    // Someone who may not steer and types in the thread hears why.
    await chat.say(thread, 'USTRANGER', 'make it pink');
    expect(chat.privates.at(-1)).toMatchObject({
      user: 'USTRANGER',
      text: expect.stringMatching(/Only <@UREQ>/),
    });
    // ❌ on the thread's root message cancels the ad.
    const root = chat.posts.find((p) => p.thread === thread && p.id.startsWith('root')) as Posted;
    await chat.react('UREQ', root.id, 'cancel');
    await chat.waitFor(async () => (await bot.app.workflow.view(runId)).phase === 'cancelled');
  });

  it('a storyboard approval on a replaced card does not count; the footer shows the count', async () => {
    const thread = await briefed();
    const runId = (await bot.app.runs.list())[0]!.id;
    const mood = cards('mood.select', thread)[0]!;
    await chat.click(thread, 'UREQ', mood.id, 'mood.select', '0');
    const board = await chat.waitFor(() => cards('storyboard.approve', thread).at(-1), 60_000);
    await chat.click(thread, 'UREQ', board.id, 'storyboard.approve', 'approve');
    await chat.waitFor(() => board.updates.at(-1)?.footer?.startsWith('Approvals 1/2'));
    const scenes = board.card.selects!.find((s) => s.action === 'scene.regenerate')!.options.length;
    await chat.click(thread, 'UREQ', board.id, 'scene.regenerate', String(scenes));
    expect(lastPrivate()).toMatch(new RegExp(`has ${scenes} scenes; there is no scene ${scenes + 1}`));
    await chat.click(thread, 'UREQ', board.id, 'scene.regenerate', '1');
    const board2 = await chat.waitFor(() => {
      const b = cards('storyboard.approve', thread).at(-1);
      return b && b.id !== board.id ? b : undefined;
    }, 60_000);
    await chat.react('UREVIEW', board.id, 'approve');
    await chat.click(thread, 'UREVIEW', board.id, 'storyboard.approve', 'approve');
    expect(lastPrivate()).toMatch(/replaced by a newer one/);
    expect(await bot.app.workflow.view(runId)).toMatchObject({
      phase: 'storyboard',
      input: { approvals: [] },
    });
    expect(board2.card.footer).toMatch(/^Approvals 0\/2/);
    await chat.react('UREQ', board2.id, 'cancel');
    await chat.waitFor(async () => (await bot.app.workflow.view(runId)).phase === 'cancelled');
  });

  it('/adgen help answers without starting an ad', async () => {
    const threads = (await bot.app.runs.list()).length;
    const posts = chat.posts.length;
    await chat.command('UREQ', 'help');
    expect(lastPrivate()).toMatch(/30-second vertical video ad/);
    expect(chat.posts.length).toBe(posts);
    expect((await bot.app.runs.list()).length).toBe(threads);
  });
});
