import { afterEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { memoryLogger, recorder } from './helpers.ts';

/** `connected()` feeds the bot's `chat` readiness check (/readyz): the live socket, not "started". */
describe('Slack adapter connection state (Socket Mode)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  it('is up once the socket is open, down when Slack goes away, down after stop', async () => {
    const slack = await FakeSlack.start();
    cleanups.push(() => slack.stop());
    const adapter = createSlackAdapter(slack.slackConfig(), {
      log: memoryLogger().log,
      socketPingTimeoutMs: 1000,
    });
    cleanups.push(() => adapter.stop());
    expect(adapter.connected?.()).toBe(false);
    await adapter.start(recorder().handle);
    await slack.waitForConnection();
    expect(adapter.connected?.()).toBe(true);
    await slack.stop(); // the socket drops and reconnects cannot reach Slack
    await slack.waitFor(() => adapter.connected?.() === false, 'the adapter to notice', 5000);
    await adapter.stop();
    expect(adapter.connected?.()).toBe(false);
  });
});
