import { DiscordAPIError, Events, HTTPError } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { discordError } from '../../src/bot/discord/errors.ts';
import { createLogger } from '../../src/bot/logger.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { captured, KINDS, leaks, QUOTED } from './secrets.ts';

let fake: FakeDiscord;
let adapter: DiscordAdapter;
const out = captured();

beforeAll(async () => {
  fake = await FakeDiscord.start();
  adapter = createDiscordAdapter(fake.config(), { log: createLogger('info', out.dest) });
  await adapter.start(async () => {});
});
afterAll(async () => {
  await adapter.stop();
  await fake.close();
});

// Every kind but the Slack signing secret: plain hex, hidden only once the Slack adapter registers
// it (logger-redaction.test.ts), and this process runs no Slack adapter.
const everything = KINDS.filter((k) => k !== 'signing')
  .map((k) => QUOTED[k])
  .join(' | ');

describe('Discord: secrets reach neither the log nor the thread', () => {
  it("routes discord.js's error and warning events into the logger, redacted", () => {
    const before = out.lines.length;
    const err = new Error(`gateway: ${everything} token ${fake.token}`, {
      cause: new Error(`inner ${everything}`),
    });
    adapter.client.emit(Events.Error, err);
    adapter.client.emit(Events.Warn, `rate limited on ${everything} with ${fake.token}`);
    const written = out.lines.slice(before).join('');
    expect(out.lines.length - before).toBe(2);
    expect(written).toContain('discord client error');
    expect(written).toContain('discord client warning');
    expect(leaks(written)).toEqual([]);
    expect(written).not.toContain(fake.token);
    expect(written).not.toContain(fake.token.slice(-12));
  });

  it('hides the bot token in lines logged by code that does not know it (the core)', () => {
    // The fake's token has no token shape ("….fake.…"): only the adapter's registration hides it.
    const lines = captured();
    createLogger('info', lines.dest).error('event failed', { error: `login refused for ${fake.token}` });
    expect(lines.text()).toContain('login refused for [redacted]');
    expect(lines.text()).not.toContain(fake.token.slice(-12));
  });

  it('never puts a secret in the error message the core shows in the thread', () => {
    const url = `https://discord.com/api/v10/webhooks/1/${'T'.repeat(10)}/messages/@original`;
    const api = new DiscordAPIError(
      { message: `Invalid Form Body: ${everything}`, code: 50035 },
      50035,
      400,
      'PATCH',
      url,
      { body: { content: everything } },
    );
    const http = new HTTPError(502, 'Bad Gateway', 'POST', url, { body: {} });
    http.message = `Bad Gateway at ${everything}`;
    const plain = new Error(`socket hang up (${fake.token}): ${everything}`);
    for (const err of [api, http, plain]) {
      // No secrets passed, as from code paths that do not hold the token.
      const shown = discordError(err, 'post a message');
      expect(shown.message).toMatch(/Discord|discord/);
      expect(leaks(shown.message)).toEqual([]);
      expect(shown.message).not.toContain(fake.token);
    }
    // The log line of the same failure (field holds the SDK error itself, with url and body).
    const before = out.lines.length;
    createLogger('info', out.dest).warn('discord event failed', { error: api });
    const written = out.lines.slice(before).join('');
    expect(written).toContain('50035');
    expect(leaks(written)).toEqual([]);
  });
});
