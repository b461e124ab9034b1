import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord.ts';
import type { HoldWhen } from '../fakes/upload-hold.ts';
import { botProcesses } from '../helpers/bot-process.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { isAdVideo } from '../helpers/uploads.ts';
import { driveToStoryboard } from './discord-flow.ts';

type Intent = { status: string; nonce: string; external_id: string | null };

/**
 * `adgen bot` as its own process, SIGKILLed inside the message POST carrying the video: with the
 * message already in the thread but Discord's answer held (`after`), or before it was recorded
 * (`before`). After a restart the thread must hold exactly one video and the thread says done.
 */
describe('Discord: the bot is killed during the video upload and restarted', () => {
  let discord: FakeDiscord;
  const runs: ReturnType<typeof botProcesses>[] = [];
  beforeAll(async () => {
    discord = await FakeDiscord.start();
  });
  afterAll(async () => {
    for (const r of runs) r.cleanup();
    await discord.close();
  });

  async function killDuringUpload(when: HoldWhen, who: string) {
    const bots = botProcesses(`adgen-discord-kill-${when}-`);
    runs.push(bots);
    const query = dbQuery(bots.dir);
    const start = async () => {
      const cfg = discord.config();
      const before = discord.gateway.identifies + discord.gateway.resumes;
      const child = bots.start({
        DISCORD_TOKEN: cfg.token,
        DISCORD_APPLICATION_ID: cfg.applicationId ?? '',
        DISCORD_API_URL: cfg.apiUrl ?? '',
        ADGEN_OFFLINE_LATENCY_MS: '20',
      });
      await discord.waitFor(() => discord.gateway.identifies + discord.gateway.resumes > before, 60_000);
      return child;
    };
    const first = await start();
    const { threadId, board } = await driveToStoryboard(discord, who, 'a smart bike lock', 90_000);
    const videos = () => discord.uploads.filter((u) => u.channelId === threadId && isAdVideo(u.filename));
    const hold = discord.holdUpload(when);
    discord.click(who, board, 'storyboard.approve:approve');
    await Promise.race([
      hold.reached,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('upload never reached the fake')), 150_000),
      ),
    ]);
    // Inside the window: the intent is stored; the video is in the thread only in the `after` case.
    const [open] = query<Intent>("select status, nonce, external_id from intents where kind = 'delivery'");
    expect(open).toMatchObject({ status: 'open', external_id: null });
    expect(videos()).toHaveLength(when === 'after' ? 1 : 0);
    await bots.kill(first);
    await new Promise((r) => setTimeout(r, 200)); // the fake sees the connection close
    hold.release();
    await new Promise((r) => setTimeout(r, 300));
    // Still what the window held: the dead process's request does not land late.
    expect(videos()).toHaveLength(when === 'after' ? 1 : 0);

    const second = await start();
    await waitUntil(
      () => query<{ status: string }>('select status from runs')[0]?.status === 'succeeded',
      150_000,
      'the thread to finish',
    );
    await new Promise((r) => setTimeout(r, 1500)); // a second upload would have arrived by now
    const [done] = query<Intent>("select status, nonce, external_id from intents where kind = 'delivery'");
    expect(videos()).toHaveLength(1);
    expect(videos()[0]!.filename).toContain(open!.nonce);
    expect(done).toMatchObject({ status: 'done', nonce: open!.nonce, external_id: videos()[0]!.messageId });
    const reads = discord.requests.filter((r) => r.startsWith(`GET /api/v10/channels/${threadId}/messages `));
    console.log(
      `discord kill ${when} the upload: ${videos().length} video(s) in the thread, ${reads.length} history read(s)`,
    );
    await bots.kill(second);
    return reads.length;
  }

  it('killed after Discord recorded the message (its answer held): one video', async () => {
    expect(await killDuringUpload('after', 'dana')).toBeGreaterThanOrEqual(1);
  }, 400_000);

  it('killed before the upload was recorded (intent stored, nothing in the thread): one video', async () => {
    expect(await killDuringUpload('before', 'erin')).toBeGreaterThanOrEqual(1);
  }, 400_000);
});
