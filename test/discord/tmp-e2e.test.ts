import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { startBot } from '../../src/bot/start.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeDiscord } from '../fakes/discord.ts';

it('e2e sanity', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-dtmp-'));
  const fake = await FakeDiscord.start({ uploadLimitBytes: 10 * 1024 * 1024 });
  const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
  const adapter = createDiscordAdapter(fake.config(), {
    log: { info() {}, warn: (m, x) => console.log('WARN', m, x), error: (m, x) => console.log('ERR', m, x) },
  });
  const bot = await startBot(config, {
    adapters: [adapter],
    log: { info() {}, warn: (m, x) => console.log('BW', m, x), error: (m, x) => console.log('BE', m, x) },
    statusIntervalMs: 50,
  });
  const slash = fake.slash('alice', 'a cold brew coffee subscription for remote workers');
  const root = await fake.waitFor(
    () => slash.originalMessageId && fake.channels.get(slash.originalMessageId) && slash.originalMessageId,
  );
  const T = root;
  const btn = (action: string) =>
    [...fake.messages.values()]
      .reverse()
      .find((m) => m.channel_id === T && JSON.stringify(m.components).includes(`"${action}`));
  for (const a of [
    'remote workers aged 25-40',
    'warm, energetic',
    'sunlit, clean',
    'Fresh every two weeks; Cancel anytime',
    'Get 50% off today',
  ]) {
    fake.say('alice', T, a);
    await new Promise((r) => setTimeout(r, 150));
  }
  const brief = await fake.waitFor(() => btn('brief.confirm'), 30000);
  fake.click('bob', brief, 'brief.confirm:ok');
  await fake.waitFor(() => fake.followUps.find((f) => f.ephemeral));
  console.log('private:', fake.followUps.at(-1)!.content);
  fake.click('alice', brief, 'brief.confirm:ok');
  await fake.waitFor(
    () =>
      [...fake.messages.values()].filter((m) => JSON.stringify(m.components).includes('mood.select'))
        .length === 3,
    60000,
  );
  await fake.waitFor(() => btn('mood.regenerate'), 30000);
  await new Promise((r) => setTimeout(r, 500));
  const moods = [...fake.messages.values()].filter((m) =>
    JSON.stringify(m.components).includes('mood.select'),
  );
  console.log('mood embeds', moods[0]!.embeds.length, moods[0]!.attachments.length);
  fake.react('bob', T, moods[1]!.id, '2️⃣');
  await fake.waitFor(
    () => fake.messages.get(moods[1]!.id)!.embeds.at(-1)?.footer?.text.startsWith('1 vote'),
    10000,
  );
  fake.click('alice', moods[1]!, 'mood.select:1');
  const board = await fake.waitFor(() => btn('storyboard.approve'), 60000);
  console.log('board embeds', board.embeds.length, board.attachments.length, board.components.length);
  fake.react('alice', T, board.id, '✅');
  const up = await fake.waitFor(() => fake.uploads.find((u) => u.filename.endsWith('.mp4')), 120000);
  console.log('video', up.filename, up.size, fake.messages.get(up.messageId)!.content);
  console.log('slash latency', slash.callback);
  await bot.stop();
  await fake.close();
  expect(up.size).toBeLessThan(10 * 1024 * 1024);
}, 200000);
