import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverOnce, deliveryFilename, newNonce } from '../../src/bot/core/delivery.ts';
import type { ThreadRef } from '../../src/bot/core/ports.ts';
import { tempDb } from '../helpers/db.ts';
import { createRecordingAdapter } from '../helpers/recording-adapter.ts';

/** deliverOnce over the SQLite DeliveryLog and a recording adapter: every crash point. */
describe('deliverOnce: intent, nonce, look-up, record', () => {
  const t = tempDb('adgen-delivery-');
  const log = t.stores.deliveries;
  const thread: ThreadRef = { platform: 'console', channel: 'C1', thread: 't1' };
  let video: string;
  let runSeq = 0;
  const newRun = async () => {
    const id = `run-${++runSeq}`;
    await t.runs.create({ id, title: 'test', input: { any: 'input' } });
    return id;
  };
  const file = () => ({ path: video, label: 'Cold Brew Club!', title: 'Ad', comment: 'ready' });
  const intentRow = (runId: string) =>
    t.db.$client
      .prepare('select kind, step_id, nonce, status, external_id from intents where run_id = ?')
      .get(runId);
  beforeAll(() => {
    video = path.join(t.dir, 'final.mp4');
    fs.writeFileSync(video, 'not really a video');
  });
  afterAll(() => t.cleanup());

  it('makes short base32 nonces and names that carry them', () => {
    const n = newNonce();
    expect(n).toMatch(/^[a-z2-7]{10}$/);
    expect(newNonce()).not.toBe(n);
    expect(deliveryFilename('Cold Brew Club!', n, '.mp4')).toBe(`adgen-cold-brew-club-${n}.mp4`);
    expect(deliveryFilename('☕', n, '.mp4')).toBe(`adgen-video-${n}.mp4`);
  });

  it('stores the intent before uploading, then records the message id', async () => {
    const chat = createRecordingAdapter();
    const runId = await newRun();
    let seenAtUpload: unknown;
    const upload = chat.adapter.upload;
    chat.adapter.upload = async (th, f) => {
      seenAtUpload = intentRow(runId);
      return upload(th, f);
    };
    const r = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: file(),
      mayStart: () => true,
    });
    expect(r).toMatchObject({ status: 'uploaded' });
    expect(seenAtUpload).toMatchObject({ kind: 'delivery', status: 'open' });
    const { nonce } = seenAtUpload as { nonce: string };
    expect(chat.uploads).toHaveLength(1);
    expect(chat.uploads[0]!.filename).toBe(`adgen-cold-brew-club-${nonce}.mp4`);
    expect(chat.uploads[0]!.nonce).toBe(nonce);
    expect(intentRow(runId)).toMatchObject({
      status: 'done',
      external_id: (r as { messageId: string }).messageId,
    });
    // Once done, a second call (a resumed job) posts nothing.
    const again = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: file(),
      mayStart: () => true,
    });
    expect(again).toMatchObject({ status: 'already' });
    expect(chat.uploads).toHaveLength(1);
  });

  it('sends the captions in the same upload, named with the same nonce', async () => {
    const chat = createRecordingAdapter();
    const runId = await newRun();
    const srt = path.join(t.dir, 'final.srt');
    fs.writeFileSync(srt, '1\n00:00:00,300 --> 00:00:01,000\nHi\n');
    const r = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: { ...file(), extras: [srt] },
      mayStart: () => true,
    });
    expect(r).toMatchObject({ status: 'uploaded' });
    const [up] = chat.uploads;
    expect(chat.uploads).toHaveLength(1);
    expect(up!.extras).toEqual([{ path: srt, filename: `adgen-cold-brew-club-${up!.nonce}.srt` }]);
  });

  it('after a crash with the file already in the thread: finds it and uploads nothing', async () => {
    const chat = createRecordingAdapter();
    const runId = await newRun();
    const intent = await log.open(runId, 'abcdefghij', 'h');
    // The crashed process got the file into the thread but never recorded it.
    await chat.adapter.upload(thread, {
      path: video,
      filename: `x-${intent.nonce}.mp4`,
      title: '',
      comment: '',
      nonce: intent.nonce,
    });
    const r = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: file(),
      mayStart: () => false,
    });
    expect(r).toEqual({ status: 'found', messageId: 'found-0' });
    expect(chat.uploads).toHaveLength(1);
    expect(intentRow(runId)).toMatchObject({ status: 'done', external_id: 'found-0', nonce: 'abcdefghij' });
  });

  it('after a crash before the file arrived: uploads once, under the stored nonce', async () => {
    const chat = createRecordingAdapter();
    const runId = await newRun();
    await log.open(runId, 'zzzzzzzzzz', 'h');
    const r = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: file(),
      mayStart: () => false,
    });
    expect(r).toMatchObject({ status: 'uploaded' });
    expect(chat.uploads.map((u) => u.filename)).toEqual(['adgen-cold-brew-club-zzzzzzzzzz.mp4']);
  });

  it('a refused start (cancelled run) stores no intent and uploads nothing', async () => {
    const chat = createRecordingAdapter();
    const runId = await newRun();
    const r = await deliverOnce({
      log,
      runId,
      adapter: chat.adapter,
      thread,
      file: file(),
      mayStart: () => false,
    });
    expect(r).toEqual({ status: 'refused' });
    expect(chat.uploads).toHaveLength(0);
    expect(intentRow(runId)).toBeUndefined();
  });

  it('a second open keeps the first nonce (what the thread may already hold)', async () => {
    const runId = await newRun();
    await log.open(runId, 'firstnonce', 'h');
    expect((await log.open(runId, 'secondnonc', 'h')).nonce).toBe('firstnonce');
  });
});
