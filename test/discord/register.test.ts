import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PERMISSIONS, inviteUrl, registerCommands } from '../../src/bot/discord/register.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeDiscord } from '../fakes/discord.ts';

describe('discord:register', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(() => fake?.close());

  it('registers /adgen [idea] in each configured guild', async () => {
    const { done } = await registerCommands(fake.config());
    expect(done).toEqual([{ scope: `guild ${fake.ids.guild}`, commandIds: ['900000000000000001'] }]);
    const [cmd] = fake.commands.at(-1)!.body;
    expect(cmd).toMatchObject({ name: 'adgen', type: 1, contexts: [0] });
    expect(cmd.options).toEqual([
      expect.objectContaining({ name: 'idea', type: 3, required: false, max_length: 500 }),
    ]);
  });

  it('registers globally without guilds, looking up the application id from the token', async () => {
    const { applicationId, done } = await registerCommands(
      fake.config({ guildIds: [], applicationId: null }),
    );
    expect(applicationId).toBe(fake.ids.app);
    expect(done[0]!.scope).toBe('global');
    expect(fake.requests).toContain('GET /api/v10/applications/@me 200 auth=yes');
  });

  it('reports a bad token without echoing it', async () => {
    const err = await registerCommands(fake.config({ token: 'bad.token.value' })).catch((e) => e);
    expect(err.message).toMatch(/HTTP 401/);
    expect(err.message).not.toContain('bad.token.value');
  });

  it('asks for exactly the permissions the docs list', () => {
    expect(BOT_PERMISSIONS).toBe(311385246784n);
    expect(inviteUrl('123')).toBe(
      'https://discord.com/oauth2/authorize?client_id=123&scope=bot+applications.commands&permissions=311385246784',
    );
    expect(fs.readFileSync('docs/install-discord.md', 'utf8')).toContain('permissions=311385246784');
  });

  it('reads the Discord settings from the environment', () => {
    const c = loadConfig({
      DISCORD_TOKEN: 't',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_GUILD_IDS: ' 223456789012345678, 323456789012345678 ',
    });
    expect(c.discord).toEqual({
      token: 't',
      applicationId: '123456789012345678',
      guildIds: ['223456789012345678', '323456789012345678'],
      apiUrl: undefined,
    });
    expect(loadConfig({ DISCORD_TOKEN: '' }).discord).toBeNull();
    expect(() => loadConfig({ DISCORD_TOKEN: 't', DISCORD_GUILD_IDS: 'abc' })).toThrow(/DISCORD_GUILD_IDS/);
  });
});
