import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { silentLogger } from '../../src/bot/logger.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { FakeDiscord, type FakeMessage } from '../fakes/discord.ts';
import { GUILD_ID } from '../fakes/discord-wire.ts';
import { dbQuery } from '../helpers/db-probe.ts';

const textOf = (m: FakeMessage) => `${m.content} ${JSON.stringify(m.embeds)}`;

describe('/adgen brand in Discord (real discord.js client, loopback Discord, a logo attachment)', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof startBot>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-discord-brand-'));
  beforeAll(async () => {
    discord = await FakeDiscord.start();
    const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
    const adapter = createDiscordAdapter(discord.config(), { log: silentLogger });
    bot = await startBot(config, { adapters: [adapter], log: silentLogger, statusIntervalMs: 100 });
  });
  afterAll(async () => {
    await bot.stop();
    await discord.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps one kit per server, set in a thread, with the logo taken from an attachment', async () => {
    discord.slash('alice', 'brand');
    const threadId = await discord.waitFor(
      () =>
        [...discord.channels.values()].find(
          (c) => c.type === 11 && discord.inChannel(c.id).some((m) => m.author.bot),
        )?.id,
    );
    const botMsgs = () => discord.inChannel(threadId).filter((m) => m.author.bot);
    const last = () => textOf(botMsgs().at(-1)!);
    await discord.waitFor(() => /What is the brand called/.test(last()), 20_000);
    const answer = async (text: string, expected: RegExp) => {
      const n = botMsgs().length;
      discord.say('alice', threadId, text);
      await discord.waitFor(() => botMsgs().length > n && expected.test(last()), 20_000);
    };
    await answer('Polar Bottle', /Primary colour/);
    for (const [a, next] of [
      ['#003366', /Secondary/],
      ['skip', /Text colour/],
      ['skip', /Font/],
      ['skip', /call to action/],
      ['skip', /Web address/],
      ['polar.example', /upload the logo/],
    ] as const)
      await answer(a, next);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    let n = botMsgs().length;
    discord.attach('alice', threadId, { name: 'logo.png', bytes: svg });
    await discord.waitFor(() => botMsgs().length > n && /That is an SVG/.test(last()), 20_000);
    const png = path.join(dir, 'logo.png');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=white:s=128x64',
      '-frames:v',
      '1',
      png,
    ]);
    n = botMsgs().length;
    discord.attach('alice', threadId, { name: 'logo.png', bytes: fs.readFileSync(png) });
    await discord.waitFor(() => botMsgs().length > n && /Logo added \(128x64\)/.test(last()), 20_000);
    const rows = dbQuery(dir)<{ scope: string; kit: string }>('select scope, kit from brand_kits');
    expect(rows.map((r) => r.scope)).toEqual([`discord:${GUILD_ID}`]);
    expect(JSON.parse(rows[0]!.kit)).toMatchObject({ name: 'Polar Bottle', url: 'polar.example' });
  }, 90_000);
});
