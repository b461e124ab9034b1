import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { startFakes } from '../helpers/fakes.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

const VIDEO_MODEL = 'bytedance/seedance-1-pro-fast';
const MUSIC_MODEL = 'stability-ai/stable-audio-2.5';

/**
 * A thread on the real Replicate client against its loopback fake (offline planning): the free
 * preview per storyboard revision, then versions made from the video card's actions.
 */
describe('preview and versions in a chat thread (Replicate fake)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-versions-'));
  const chat = createRecordingAdapter();
  const thread = 't1';
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let config: ReturnType<typeof loadConfig>;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const start = () => startBot(config, { adapters: [chat.adapter], log: silentLogger, statusIntervalMs: 50 });
  beforeAll(async () => {
    fakes = await startFakes();
    const { OPENAI_API_KEY: _k, OPENAI_BASE_URL: _u, ...media } = fakes.env;
    config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ...media });
    bot = await start();
  });
  afterAll(async () => {
    await bot?.stop();
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const withButton = (action: string) => (p: (typeof chat.posts)[number]) =>
    Boolean(p.card.buttons?.some((b) => b.action === action));
  const latest = (action: string) => chat.last(withButton(action));
  const previews = () => chat.uploads.filter((u) => u.filename.includes('preview'));
  const videos = () => chat.uploads.filter((u) => !u.filename.includes('preview'));
  const creates = (model: string) => fakes.replicate.createsByModel()[model] ?? 0;
  /** Scenes of the storyboard on show: one clip each. */
  const scenes = () => latest('storyboard.approve')?.card.images?.length ?? 0;

  it('posts one free preview per storyboard revision, paying for no clip or music', async () => {
    await chat.command('UREQ', 'a cold brew coffee subscription for remote workers');
    for (const answer of ['remote workers', 'warm, energetic', 'sunlit, clean', 'Fresh every week', 'Try it'])
      await chat.say(thread, 'UREQ', answer);
    const brief = await chat.waitFor(() => latest('brief.confirm'));
    await chat.click(thread, 'UREQ', brief.id, 'brief.confirm', 'ok');
    await chat.waitFor(() => chat.posts.filter(withButton('mood.select')).length === 3);
    await chat.click(thread, 'UREQ', chat.posts.filter(withButton('mood.select'))[0]!.id, 'mood.select', '0');
    const board = await chat.waitFor(() => latest('storyboard.approve'));
    await chat.waitFor(() => previews().length === 1);
    const first = previews()[0]!;
    expect(first.thread).toBe(thread);
    // Music on Replicate is paid: the preview says it carries a placeholder bed instead.
    expect(first.comment).toMatch(/Free preview .*30\.0 s.*placeholder music/);
    const info = await probeMedia(first.path);
    expect(info.video).toMatchObject({ width: 360, height: 640 });
    expect(info.audio).toBeDefined();
    expect(creates(VIDEO_MODEL)).toBe(0);
    expect(creates(MUSIC_MODEL)).toBe(0);

    await chat.click(thread, 'UREQ', board.id, 'scene.regenerate', '2');
    await chat.waitFor(() => previews().length === 2);
    // A restart shows the thread again from the run: nothing is posted twice, even when the
    // thread's own bookkeeping of the latest preview was lost (a crash right after the upload).
    const runId = (await bot.app.runs.list())[0]!.id;
    const state = (await bot.app.stores.threads.byRun(runId))!;
    const previewKeys = Object.keys(state.cards).filter((k) => k.startsWith('preview:'));
    expect(previewKeys).toHaveLength(2);
    delete state.cards[previewKeys[1]!];
    await bot.app.stores.threads.save(state); // the thread is idle: nothing saves over it
    await bot.stop();
    bot = await start();
    // The re-shown thread found the stored upload again (the intent with its message id).
    await chat.waitFor(async () => (await bot.app.stores.threads.byRun(runId))?.cards[previewKeys[1]!]);
    expect(previews()).toHaveLength(2);
    expect(chat.posts.filter(withButton('storyboard.approve'))).toHaveLength(2);
  }, 120_000);

  it('v1, then Change music makes v2 without paying for a clip again', async () => {
    const board = latest('storyboard.approve')!;
    await chat.click(thread, 'UREQ', board.id, 'storyboard.approve', 'approve');
    const v1 = await chat.waitFor(() => latest('video.change_music'), 90_000);
    expect(videos()).toHaveLength(1);
    expect(videos()[0]!.comment).toMatch(/v1 · First render · cost \$0\.650/);
    expect(v1.card.text).toMatch(/v1 · First render/);
    expect(creates(VIDEO_MODEL)).toBe(scenes());
    expect(creates(MUSIC_MODEL)).toBe(1);

    await chat.click(thread, 'UREQ', v1.id, 'video.change_music', 'music');
    const v2 = await chat.waitFor(() => {
      const c = latest('video.change_music');
      return c && c.id !== v1.id ? c : undefined;
    }, 90_000);
    expect(videos()).toHaveLength(2);
    expect(videos()[1]!.comment).toMatch(/v2 · Music changed · cost \$0\.200/);
    expect(v2.card.text).toMatch(/Earlier versions stay in this thread:\nv1 · First render/);
    expect(creates(VIDEO_MODEL)).toBe(scenes());
    expect(creates(MUSIC_MODEL)).toBe(2);
    // The older version's file is kept.
    expect(fs.existsSync(videos()[0]!.path)).toBe(true);

    // v1's buttons are stale now: a clear answer, nothing rendered.
    await chat.click(thread, 'UREQ', v1.id, 'video.change_music', 'music');
    expect(chat.privates.at(-1)?.text).toMatch(/belong to v1; v2 is the latest/);
    // Someone who may not steer is told so privately.
    await chat.click(thread, 'USTRANGER', v2.id, 'video.change_music', 'music');
    expect(chat.privates.at(-1)).toMatchObject({ user: 'USTRANGER', text: expect.stringMatching(/Only/) });
    // Final quality from a tiny draft would need every clip again: no button, and a click (an
    // old client, a forged payload) is refused with the reason.
    expect(v2.card.buttons?.some((b) => b.action === 'video.final')).toBe(false);
    await chat.click(thread, 'UREQ', v2.id, 'video.final', 'final');
    expect(chat.privates.at(-1)?.text).toMatch(/clips are 144x256/);
    expect(creates(MUSIC_MODEL)).toBe(2);
  }, 180_000);

  it('New take shows the estimate and pays for new clips only after Confirm', async () => {
    const v2 = latest('video.new_take')!;
    await chat.click(thread, 'UREQ', v2.id, 'video.new_take', 'take');
    const confirm = await chat.waitFor(() => latest('video.take_confirm'));
    expect(confirm.card.text).toMatch(/estimate \$0\.450/);
    expect(creates(VIDEO_MODEL)).toBe(scenes());
    await chat.click(thread, 'UREQ', confirm.id, 'video.take_confirm', 'confirm');
    await chat.waitFor(() => videos().length === 3, 90_000);
    expect(videos()[2]!.comment).toMatch(/v3 · New take · cost \$0\.450/);
    expect(creates(VIDEO_MODEL)).toBe(2 * scenes());
    expect(creates(MUSIC_MODEL)).toBe(2);
    // The confirmation was for v2: pressing it again is stale, not a fourth version.
    await chat.click(thread, 'UREQ', confirm.id, 'video.take_confirm', 'confirm');
    expect(chat.privates.at(-1)?.text).toMatch(/belong to v2; v3 is the latest/);
    await new Promise((r) => setTimeout(r, 500));
    expect(videos()).toHaveLength(3);
    expect(creates(VIDEO_MODEL)).toBe(2 * scenes());
  }, 180_000);
});
