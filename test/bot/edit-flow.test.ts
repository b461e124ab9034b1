import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bot-edit-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

describe('bot core: direction in words in a thread', () => {
  const chat = createRecordingAdapter();
  let bot: Awaited<ReturnType<typeof startBot>>;
  afterAll(async () => {
    await bot?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const thread = 't1';
  const texts = () => chat.posts.filter((p) => p.card.kind === 'text').map((p) => p.card.text ?? '');
  const lastText = () => texts().at(-1) ?? '';
  const storyboards = () => chat.posts.filter((p) => p.card.kind === 'storyboard');

  it('reads the brief, scene and rule-breaking edits, answers chatter, and keeps strangers out', async () => {
    bot = await startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
    await chat.command('UREQ', 'a cold brew coffee subscription for remote workers');
    for (const answer of [
      'remote workers aged 25-40',
      'warm, energetic',
      'sunlit, clean',
      'Fresh every two weeks',
      'Get 50% off today',
    ])
      await chat.say(thread, 'UREQ', answer);
    await chat.waitFor(() => chat.posts.some((p) => p.card.kind === 'brief'));

    // Brief review: words, not `field: value`.
    await chat.say(thread, 'UREQ', 'make the audience Gen Z gamers');
    const brief = await chat.waitFor(() =>
      chat.last(
        (p) => p.card.kind === 'brief' && p.card.fields?.some((f) => f.value === 'Gen Z gamers') === true,
      ),
    );
    expect(texts()).toContain('✏️ Audience → “Gen Z gamers”.');
    await chat.say(thread, 'UREQ', 'swap scenes 3 and 4');
    expect(lastText()).toMatch(/press “Looks good” first/);

    await chat.click(thread, 'UREQ', brief.id, 'brief.confirm', 'ok');
    const moods = await chat.waitFor(() => {
      const m = chat.posts.filter((p) => p.card.buttons?.some((b) => b.action === 'mood.select'));
      return m.length === 3 && m;
    });
    await chat.say(thread, 'UREQ', 'what happens now?');
    expect(lastText()).toMatch(/^Pick a mood board/);
    await chat.click(thread, 'UREQ', moods[0]!.id, 'mood.select', '0');
    const first = await chat.waitFor(() => storyboards()[0]);

    // Not a change: a short answer with the phase and what to say, never silence.
    await chat.say(thread, 'UREQ', 'looks nice');
    expect(lastText()).toMatch(/^The storyboard is ready: .*scene 2 at night/);

    // Someone who may not steer is told privately; nothing is posted for them.
    const before = chat.posts.length;
    await chat.say(thread, 'USTRANGER', 'scene 2 at night');
    expect(chat.privates.at(-1)).toMatchObject({
      user: 'USTRANGER',
      text: expect.stringMatching(/Only <@UREQ>/),
    });
    expect(chat.posts.length).toBe(before);

    await chat.say(thread, 'UREQ', 'scene 2 at night, keep the rest');
    expect(lastText()).toMatch(/^✏️ Scene 2 \(intro\): .*Re-making its image and clip/);
    const second = await chat.waitFor(() => storyboards()[1]);
    expect(second.card.text).toMatch(/2\. .*\n.* at night/);
    // The old card lost its buttons: a click there would be stale.
    await chat.waitFor(() => first.updates.at(-1)?.kind === 'replaced');
    expect(second.card.images![0]!.path).toBe(first.card.images![0]!.path);
    expect(second.card.images![1]!.path).not.toBe(first.card.images![1]!.path);

    // Bad input: the rule and the state unchanged.
    await chat.say(thread, 'UREQ', 'scene 9 at night');
    expect(lastText()).toBe(
      'This storyboard has 6 scenes; there is no scene 9. Nothing was changed.'.replace(
        '6',
        String(second.card.images!.length),
      ),
    );
    await chat.say(thread, 'UREQ', 'make scene 3 12 seconds long');
    expect(lastText()).toMatch(/A scene lasts 3-10 s.*Nothing was changed\.$/);
    await new Promise((r) => setTimeout(r, 200));
    expect(storyboards()).toHaveLength(2);

    // After the video: the next version starts from a storyboard, and the thread is open again
    // (a restart resumes it).
    await chat.react('UREQ', storyboards()[1]!.id, 'approve');
    await chat.waitFor(() => chat.uploads.length === 1, 90_000);
    await chat.waitFor(async () => (await bot.app.stores.threads.unfinished()).length === 0);
    await chat.say(thread, 'UREQ', 'new music, more upbeat');
    expect(lastText()).toMatch(/^✏️ New music: “more upbeat”/);
    expect((await bot.app.stores.threads.unfinished()).map((t) => t.id)).toHaveLength(1);
    const third = await chat.waitFor(() => storyboards()[2]);
    // Approved, it is v2: its own video card under the first, which stays as it was.
    await chat.react('UREQ', third.id, 'approve');
    await chat.waitFor(() => chat.uploads.length === 2, 90_000);
    const cards = await chat.waitFor(() => {
      const v = chat.posts.filter(
        (p) => p.thread === thread && p.card.kind === 'video' && /^🎬 Version/.test(p.card.title ?? ''),
      );
      return v.length === 2 ? v : undefined;
    });
    expect(cards.map((c) => c.card.title)).toEqual(['🎬 Version 1', '🎬 Version 2']);
    expect(cards[1]!.card.text).toMatch(/^v2 · New music/);
  });
});
