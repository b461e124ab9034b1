import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { createOfflineProviders } from '../../src/pipeline/providers/offline/index.ts';
import { createOpenAiTts } from '../../src/pipeline/providers/openai/tts.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

// A thread with a speech provider: the storyboard card offers the voice, a click turns it off
// (a new card, approvals start again) and on again, and the video arrives with its captions.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-voice-bot-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
let openai: FakeOpenAI;

describe('bot core: choosing the voice-over on the storyboard', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  beforeAll(async () => {
    openai = await startFakeOpenAI();
  });
  afterAll(async () => {
    await bot?.stop();
    await openai.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const thread = 't1';
  const lastWith = (action: string) =>
    chat.last((p) => Boolean(p.card.buttons?.some((b) => b.action === action)));
  const voiceField = (p: { card: { fields?: { label: string; value: string }[] } }) =>
    p.card.fields?.find((f) => f.label === 'Voice-over')?.value;

  it('toggles the voice with a button and delivers the video with its .srt', async (ctx) => {
    ctx.onTestFailed(() => {
      console.log(
        JSON.stringify(
          chat.posts.map((p) => [p.card.title, p.card.text.slice(0, 80)]),
          null,
          1,
        ),
      );
      console.log(JSON.stringify(chat.privates));
    });
    const tts = createOpenAiTts({
      apiKey: openai.apiKey,
      baseURL: openai.url,
      model: 'gpt-4o',
      maxRetries: 0,
      timeoutMs: 10_000,
      ttsModel: 'gpt-4o-mini-tts',
      ttsVoice: 'coral',
    });
    bot = await startBot(config, {
      adapters: [chat.adapter],
      log: silentLogger,
      statusIntervalMs: 50,
      providers: { ...createOfflineProviders(), tts },
    });
    await chat.command('UREQ', 'a cold brew coffee subscription for remote workers');
    for (const answer of ['remote workers', 'warm', 'sunlit', 'Fresh every two weeks', 'Get 50% off today'])
      await chat.say(thread, 'UREQ', answer);
    const brief = await chat.waitFor(() => lastWith('brief.confirm'));
    await chat.click(thread, 'UREQ', brief.id, 'brief.confirm', 'ok');
    const mood = await chat.waitFor(() => lastWith('mood.select'));
    await chat.click(thread, 'UREQ', mood.id, 'mood.select', mood.card.buttons![0]!.value);

    const board = await chat.waitFor(() => lastWith('storyboard.approve'));
    expect(voiceField(board)).toMatch(/^coral/);
    expect(board.card.text).toMatch(/Voice-over: “/);
    expect(board.card.fields?.some((f) => f.label.startsWith('Voice-over (coral)'))).toBe(true);
    await chat.click(thread, 'UREQ', board.id, 'voice.choose', 'none');
    const off = await chat.waitFor(() => {
      const b = lastWith('storyboard.approve');
      return b && b.id !== board.id ? b : undefined;
    });
    expect(voiceField(off)).toMatch(/^none/);
    // The menu offers every voice of the provider, the configured one first, and none.
    const menu = off.card.selects?.find((m) => m.action === 'voice.choose');
    expect(menu?.options[0]).toEqual({ label: 'Voice: coral', value: 'coral' });
    expect(menu?.options.map((o) => o.value)).toEqual(expect.arrayContaining(['ash', 'sage', 'none']));
    // The old card is stale now.
    await chat.click(thread, 'UREQ', board.id, 'storyboard.approve', 'approve');
    expect(chat.privates.at(-1)!.text).toMatch(/replaced by a newer one/);

    // Another voice than the configured one: the render speaks with it.
    await chat.click(thread, 'UREQ', off.id, 'voice.choose', 'ash');
    const on = await chat.waitFor(() => {
      const b = lastWith('storyboard.approve');
      return b && b.id !== off.id ? b : undefined;
    });
    expect(voiceField(on)).toMatch(/^ash/);
    await chat.click(thread, 'UREQ', on.id, 'storyboard.approve', 'approve');
    await chat.waitFor(() => chat.uploads.length === 1, 120_000);
    const video = chat.uploads[0]!;
    expect(video.comment).toMatch(/voice-over: ash \(captions attached as \.srt\)/);
    expect(video.extras).toHaveLength(1);
    expect(video.extras![0]!.filename).toBe(video.filename.replace(/\.mp4$/, '.srt'));
    expect(fs.readFileSync(video.extras![0]!.path, 'utf8')).toMatch(/^1\n00:00:00,\d{3} --> /);
    expect(openai.speech.requests.length).toBeGreaterThanOrEqual(5);
    expect(new Set(openai.speech.requests.map((r) => r.voice))).toEqual(new Set(['ash']));
  });
});
