import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanInput } from '../../src/bot/core/brief-flow.ts';
import type { ThreadRef } from '../../src/bot/core/ports.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { BOT_USER, CHANNEL, FakeSlack } from '../fakes/slack.ts';
import { memoryLogger, recorder } from './helpers.ts';

/** findUpload over conversations.replies (paginated), and shortcode emoji for the emoji guard. */
describe('Slack adapter: finding a delivered file again, and emoji as text', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  let thread: ThreadRef;
  const rec = recorder();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-delivery-'));

  beforeAll(async () => {
    slack = await FakeSlack.start();
    adapter = createSlackAdapter(slack.slackConfig(), {
      log: memoryLogger().log,
      retryConfig: { retries: 0 },
    });
    await adapter.start(rec.handle);
    await slack.waitForConnection();
    thread = await adapter.openThread(
      { type: 'command', eventId: 'trig-1', platform: 'slack', channel: CHANNEL, user: 'U1', text: '' },
      { kind: 'text', text: 'root' },
    );
  });
  afterAll(async () => {
    await adapter.stop();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds the upload by its nonce on a later page of conversations.replies', async () => {
    const video = path.join(dir, 'ad.mp4');
    fs.writeFileSync(video, Buffer.alloc(2048, 1));
    const fileId = await adapter.upload(thread, {
      path: video,
      filename: 'adgen-earbuds-q4mz7k2xab.mp4',
      title: 'Ad',
      comment: 'ready',
      nonce: 'q4mz7k2xab',
    });
    // 450 replies after it: the first file is on page 1, a second one only on page 3.
    for (let i = 0; i < 450; i++)
      slack.messages.push({
        channel: CHANNEL,
        ts: slack.nextTs(),
        thread_ts: thread.thread,
        text: `reply ${i}`,
        user: 'U1',
        bot: false,
        edits: 0,
      });
    const late = await adapter.upload(thread, {
      path: video,
      filename: 'adgen-earbuds-late777777.mp4',
      title: 'Ad',
      comment: 'again',
      nonce: 'late777777',
    });
    const before = slack.callsTo('conversations.replies').length;
    expect(await adapter.findUpload(thread, 'q4mz7k2xab')).toEqual({ messageId: fileId });
    expect(slack.callsTo('conversations.replies').length - before).toBe(1);
    expect(await adapter.findUpload(thread, 'late777777')).toEqual({ messageId: late });
    const calls = slack.callsTo('conversations.replies').slice(before + 1);
    expect(calls).toHaveLength(3); // 453 messages at 200 a page
    expect(calls[0]!.args).toMatchObject({ channel: CHANNEL, ts: thread.thread });
    expect(calls[1]!.args.cursor).toEqual(expect.any(String));
    expect(await adapter.findUpload(thread, 'nothere222')).toBeNull();
  });

  it('posts the captions .srt in the same message as the video, both found by the nonce', async () => {
    const video = path.join(dir, 'ad.mp4');
    fs.writeFileSync(video, Buffer.alloc(2048, 1));
    const srt = path.join(dir, 'ad.srt');
    fs.writeFileSync(srt, '1\n00:00:00,300 --> 00:00:01,000\nHello\n');
    const id = await adapter.upload(thread, {
      path: video,
      filename: 'adgen-earbuds-srtsrt2222.mp4',
      title: 'Ad',
      comment: 'ready',
      nonce: 'srtsrt2222',
      extras: [{ path: srt, filename: 'adgen-earbuds-srtsrt2222.srt' }],
    });
    const msg = slack.messages.find((m) => m.files?.some((f) => f.id === id))!;
    expect(msg.files!.map((f) => f.filename)).toEqual([
      'adgen-earbuds-srtsrt2222.mp4',
      'adgen-earbuds-srtsrt2222.srt',
    ]);
    expect(msg.text).toBe('ready');
    expect(fs.readFileSync(msg.files![1]!.path, 'utf8')).toContain('Hello');
    expect(await adapter.findUpload(thread, 'srtsrt2222')).toEqual({ messageId: id });
  });

  it('with the intent time it reads only replies from just before it (one page here)', async () => {
    // A thread an hour old with 450 replies, then the delivery now.
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const old = (i: number) => `${hourAgo + Math.floor(i / 100)}.${String(i).padStart(6, '0')}`;
    const busy: ThreadRef = { platform: 'slack', channel: CHANNEL, thread: old(0) };
    for (let i = 0; i <= 450; i++)
      slack.messages.push({
        channel: CHANNEL,
        ts: old(i),
        ...(i ? { thread_ts: busy.thread } : {}),
        text: `old ${i}`,
        user: 'U1',
        bot: false,
        edits: 0,
      });
    const video = path.join(dir, 'ad.mp4');
    const since = Date.now();
    const fileId = await adapter.upload(busy, {
      path: video,
      filename: 'adgen-x-window7777.mp4',
      title: 'Ad',
      comment: 'ready',
      nonce: 'window7777',
    });
    const before = slack.callsTo('conversations.replies').length;
    expect(await adapter.findUpload(busy, 'window7777', since)).toEqual({ messageId: fileId });
    const calls = slack.callsTo('conversations.replies').slice(before);
    expect(calls).toHaveLength(1);
    expect(Number(calls[0]!.args.oldest)).toBeGreaterThan(hourAgo + 10);
    // Without the time, the same look-up pages through the whole thread.
    expect(await adapter.findUpload(busy, 'window7777')).toEqual({ messageId: fileId });
    expect(slack.callsTo('conversations.replies').length - before - 1).toBe(3);
  });

  it('conversations.replies answers as documented (files on file messages, cursor, has_more)', async () => {
    const res = await fetch(`${slack.apiUrl}conversations.replies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${slack.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: CHANNEL, ts: thread.thread, limit: '2' }),
    }).then((r) => r.json());
    expect(res).toMatchObject({
      ok: true,
      has_more: true,
      response_metadata: { next_cursor: expect.any(String) },
    });
    expect(res.messages).toHaveLength(2);
    expect(res.messages[0]).toMatchObject({ ts: thread.thread, user: BOT_USER, bot_id: expect.any(String) });
    expect(res.messages[1].files[0]).toMatchObject({ name: 'adgen-earbuds-q4mz7k2xab.mp4', title: 'Ad' });
    const bad = await fetch(`${slack.apiUrl}conversations.replies`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${slack.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: CHANNEL, ts: '1.000001' }),
    }).then((r) => r.json());
    expect(bad).toEqual({ ok: false, error: 'thread_not_found' });
  });

  it('shortcode-only text (`:tada: :+1:`) is not meaningful; words with shortcodes are', async () => {
    const from = rec.events.length;
    await slack.say('U1', thread.thread, ':tada: :+1::skin-tone-2:');
    const e = await rec.next('message', from);
    expect(e.text).toBe(':tada: :+1::skin-tone-2:');
    expect(cleanInput(e.text).meaningful).toBe(false);
    expect(cleanInput('love it :tada:').meaningful).toBe(true);
    expect(cleanInput('at 10:30:45').meaningful).toBe(true);
    expect(cleanInput('🎉 👍').meaningful).toBe(false);
  });
});
