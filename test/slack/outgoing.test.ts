import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Card, mention } from '../../src/bot/core/cards.ts';
import { decodeThreadId, encodeThreadId, type ThreadRef } from '../../src/bot/core/ports.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { CHANNEL, FakeSlack } from '../fakes/slack.ts';
import { memoryLogger, recorder } from './helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: inspecting Block Kit JSON
type Any = any;
const imageIds = (blocks: Any[] | undefined) =>
  (blocks ?? []).filter((b) => b.type === 'image').map((b) => b.slack_file.id as string);

/** openThread / post / update / postPrivate / upload as Web API calls on the fake. */
describe('Slack adapter: outgoing messages and files', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  let thread: ThreadRef;
  const rec = recorder();
  const logs = memoryLogger();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-out-'));
  const png = (name: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(name)]));
    return p;
  };

  beforeAll(async () => {
    slack = await FakeSlack.start();
    adapter = createSlackAdapter(slack.slackConfig(), {
      log: logs.log,
      retryConfig: { retries: 0 },
      fileRetryDelaysMs: [100, 200, 400],
    });
    await adapter.start(rec.handle);
    await slack.waitForConnection();
  });
  afterAll(async () => {
    await adapter.stop();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('openThread posts the root message in the command channel and returns its thread', async () => {
    await slack.slashCommand('U0ALICE', 'red sneakers');
    const cmd = await rec.next('command');
    thread = await adapter.openThread(cmd, {
      kind: 'text',
      title: 'New ad',
      text: 'An ad for *red sneakers*',
    });
    const root = slack.messages.at(-1)!;
    expect(root).toMatchObject({ channel: CHANNEL, thread_ts: undefined, bot: true });
    expect(thread).toEqual({ platform: 'slack', channel: CHANNEL, thread: root.ts });
    expect(decodeThreadId(encodeThreadId(thread))).toEqual(thread);
    expect(root.blocks?.[0]).toMatchObject({ type: 'header', text: { text: 'New ad' } });
  });

  it('uploads card images privately (no file message), then shows them by slack_file id', async () => {
    const card: Card = {
      kind: 'text',
      title: 'Mood 1',
      text: 'Sunlit',
      images: [
        { path: png('a.png'), alt: 'beach' },
        { path: png('b.png'), alt: 'dunes' },
      ],
      buttons: [{ action: 'mood.select', label: 'Select', value: '1' }],
    };
    const ts = await adapter.post(thread, card);
    const completes = slack.callsTo('files.completeUploadExternal');
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(2);
    expect(completes).toHaveLength(1);
    // Not shared into the channel: the images appear once, inside the card.
    expect(completes[0]!.args.channel_id).toBeUndefined();
    expect(completes[0]!.args.thread_ts).toBeUndefined();
    expect(slack.messages.filter((m) => m.files?.length)).toHaveLength(0);
    const uploaded = slack.uploads.map((u) => u.id);
    const msg = slack.messages.find((m) => m.ts === ts)!;
    expect(msg.thread_ts).toBe(thread.thread);
    expect(imageIds(msg.blocks)).toEqual(uploaded);
    expect(slack.uploads.map((u) => u.filename)).toEqual(['a.png', 'b.png']);

    // Editing the card (e.g. a vote count) reuses the uploads.
    await adapter.update(thread, ts, { ...card, footer: '2 votes' });
    expect(slack.callsTo('files.getUploadURLExternal')).toHaveLength(2);
    expect(msg.edits).toBe(1);
    expect(imageIds(msg.blocks)).toEqual(uploaded);
    expect(msg.blocks?.at(-1).elements[0].text).toBe('2 votes');
  });

  it('retries invalid_blocks while a fresh upload is not referenceable yet', async () => {
    slack.opts.fileReadyDelayMs = 250;
    try {
      const posts = slack.callsTo('chat.postMessage').length;
      const ts = await adapter.post(thread, {
        kind: 'text',
        text: 'Scene 1',
        images: [{ path: png('c.png'), alt: 'scene' }],
      });
      expect(slack.callsTo('chat.postMessage').length - posts).toBeGreaterThan(1);
      expect(imageIds(slack.messages.find((m) => m.ts === ts)!.blocks)).toHaveLength(1);
    } finally {
      slack.opts.fileReadyDelayMs = 0;
    }
  });

  it('falls back to the card without images when they never become referenceable', async () => {
    slack.opts.fileReadyDelayMs = 60_000;
    try {
      const ts = await adapter.post(thread, {
        kind: 'text',
        text: 'Scene 2',
        images: [{ path: png('d.png'), alt: 'late' }],
        buttons: [{ action: 'storyboard.approve', label: 'Approve', value: 'x' }],
      });
      const msg = slack.messages.find((m) => m.ts === ts)!;
      expect(imageIds(msg.blocks)).toEqual([]);
      expect(msg.blocks?.some((b: Any) => b.type === 'actions')).toBe(true);
    } finally {
      slack.opts.fileReadyDelayMs = 0;
    }
  });

  it('converts webp card images to PNG, the only formats image blocks show being png/jpg/gif', async () => {
    const webp = path.join(dir, 'model-output.webp');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'color=red:s=16x16',
      '-frames:v',
      '1',
      '-y',
      webp,
    ]);
    const ts = await adapter.post(thread, {
      kind: 'text',
      text: 'Mood 3',
      images: [{ path: webp, alt: 'red' }],
    });
    const up = slack.uploads.at(-1)!;
    expect(up.filename).toMatch(/^model-output-.*\.png$/);
    expect(fs.readFileSync(up.path).subarray(1, 4).toString()).toBe('PNG');
    expect(imageIds(slack.messages.find((m) => m.ts === ts)!.blocks)).toEqual([up.id]);
  });

  it('postPrivate is an ephemeral message in the thread; only core mentions are live', async () => {
    await adapter.postPrivate(thread, 'U0BOB', `Only ${mention('U0ALICE')} can approve this, not <@U0EVE>.`);
    expect(slack.ephemerals.at(-1)).toEqual({
      ts: expect.any(String),
      channel: CHANNEL,
      user: 'U0BOB',
      thread_ts: thread.thread,
      // Typed `<@U0EVE>` (user or model text) is escaped: it shows, but pings nobody.
      text: 'Only <@U0ALICE> can approve this, not &lt;@U0EVE&gt;.',
    });
  });

  it('uploads the video into the thread with its comment (files.uploadV2)', async () => {
    const video = path.join(dir, 'ad.mp4');
    execFileSync(
      'ffmpeg',
      ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=108x192:rate=30:duration=1'].concat([
        '-pix_fmt',
        'yuv420p',
        '-c:v',
        'libx264',
        '-y',
        video,
      ]),
    );
    const fileId = await adapter.upload(thread, {
      path: video,
      filename: 'ad.mp4',
      title: 'Your ad',
      comment: '30 s · 6 scenes',
      nonce: 'k3q7x2m9ab',
    });
    const up = slack.uploads.at(-1)!;
    expect(up).toMatchObject({
      id: fileId,
      // The nonce rides in the file name, which conversations.replies lists with the message.
      filename: 'ad-k3q7x2m9ab.mp4',
      title: 'Your ad',
      thread_ts: thread.thread,
      initial_comment: '30 s · 6 scenes',
    });
    expect(up.size).toBe(fs.statSync(video).size);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-of', 'json', up.path], { encoding: 'utf8' }),
    );
    expect(probe.streams[0]).toMatchObject({ codec_name: 'h264', width: 108, height: 192 });
    const inThread = slack.thread(thread.thread).at(-1)!;
    expect(inThread.files?.[0]?.id).toBe(up.id);
    expect(adapter.uploadLimitBytes(thread)).toBe(1024 ** 3);
  });

  it('tells the user privately when the bot is not in the channel', async () => {
    slack.opts.memberOf = [CHANNEL];
    try {
      const from = rec.events.length;
      await slack.slashCommand('U0ALICE', 'idea', 'C0PRIVATE');
      const cmd = await rec.next('command', from);
      await expect(adapter.openThread(cmd, { kind: 'text', text: 'root' })).rejects.toThrow(/not_in_channel/);
      expect(slack.responses.at(-1)).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringContaining('/invite'),
      });
    } finally {
      slack.opts.memberOf = undefined;
    }
  });

  it('refuses threads of another platform', async () => {
    await expect(
      adapter.post({ platform: 'discord', channel: 'x', thread: 'y' }, { kind: 'text', text: 'hi' }),
    ).rejects.toThrow(/not a slack thread/);
  });

  it('never logs tokens', () => {
    expect(logs.lines.join('\n')).not.toMatch(/xox[bp]-|xapp-/);
  });
});
