import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, RESPONSE_URLS_KEPT, type SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { CACHE_SIZE, createUploader } from '../../src/bot/slack/files.ts';
import { defaultConverter } from '../../src/bot/slack/image-format.ts';
import { CHANNEL, FakeSlack } from '../fakes/slack.ts';
import { memoryLogger, recorder } from '../slack/helpers.ts';

describe('Slack adapter caches evict at their bound', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  const rec = recorder();
  const logs = memoryLogger();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'slack-caches-'));

  beforeAll(async () => {
    slack = await FakeSlack.start();
    adapter = createSlackAdapter(slack.slackConfig(), { log: logs.log, retryConfig: { retries: 0 } });
    await adapter.start(rec.handle);
    await slack.waitForConnection();
  });
  afterAll(async () => {
    await adapter.stop();
    await slack.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`uploaded image ids: the ${CACHE_SIZE} most recent are reused, an older one is uploaded again`, async () => {
    const client = new webApi.WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const uploader = createUploader(client, logs.log, defaultConverter());
    const target = { channel: CHANNEL };
    const images = Array.from({ length: CACHE_SIZE + 1 }, (_, i) => {
      const p = path.join(dir, `img-${i}.png`);
      fs.writeFileSync(p, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from(`image ${i}`)]));
      return { path: p, alt: `image ${i}` };
    });
    const uploads = () => slack.callsTo('files.getUploadURLExternal').length;
    const started = Date.now();
    for (let i = 0; i < images.length; i += 50) await uploader.images(target, images.slice(i, i + 50));
    console.log(`${images.length} image uploads through the fake in ${Date.now() - started} ms`);
    expect(uploads()).toBe(CACHE_SIZE + 1);

    const last = await uploader.images(target, [images.at(-1)!]);
    expect(uploads()).toBe(CACHE_SIZE + 1); // recent: reused, not uploaded again
    expect(last.get(images.at(-1)!.path)).toMatch(/^F/);
    await uploader.images(target, [images[0]!]);
    expect(uploads()).toBe(CACHE_SIZE + 2); // past the bound: forgotten, uploaded again
  });

  it(`command response urls: the ${RESPONSE_URLS_KEPT} most recent can still explain a failed thread`, async () => {
    slack.opts.memberOf = [CHANNEL];
    try {
      const from = rec.events.length;
      for (let i = 0; i <= RESPONSE_URLS_KEPT; i++)
        await slack.slashCommand('U0ALICE', `idea ${i}`, 'C0PRIVATE');
      const commands = () => rec.events.slice(from).flatMap((e) => (e.type === 'command' ? [e] : []));
      await slack.waitFor(() => commands().length > RESPONSE_URLS_KEPT || undefined, 'commands', 10_000);
      const all = commands();
      expect(all).toHaveLength(RESPONSE_URLS_KEPT + 1);
      const responses = slack.responses.length;
      await expect(adapter.openThread(all[0]!, { kind: 'root', text: 'root' })).rejects.toThrow(
        /not_in_channel/,
      );
      expect(slack.responses.length).toBe(responses); // the oldest url was forgotten: nothing to answer
      await expect(adapter.openThread(all.at(-1)!, { kind: 'root', text: 'root' })).rejects.toThrow(
        /not_in_channel/,
      );
      expect(slack.responses.length).toBe(responses + 1);
      expect(slack.responses.at(-1)).toMatchObject({ response_type: 'ephemeral' });
    } finally {
      slack.opts.memberOf = undefined;
    }
  });
});
