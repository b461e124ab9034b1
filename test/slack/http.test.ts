import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { CHANNEL, FakeSlack, signedRequest } from '../fakes/slack.ts';
import { memoryLogger, recorder, sleep } from './helpers.ts';

const SECRET = 'test-signing-secret-8f3a';

/** HTTP mode: Bolt's receiver verifies Slack's request signature; the fake signs like Slack. */
describe('Slack adapter, HTTP mode', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  let url: string;
  const rec = recorder();
  const logs = memoryLogger();

  const command = (text: string) =>
    new URLSearchParams({
      command: '/adgen',
      text,
      user_id: 'U0ALICE',
      channel_id: CHANNEL,
      team_id: 'T0FAKE',
      trigger_id: `t.${Date.now()}.${Math.random()}`,
      response_url: 'http://127.0.0.1:9/unused',
      api_app_id: 'A0ADGEN',
      token: 'verification-token',
    }).toString();
  const post = (req: { body: string; headers: Record<string, string> }) =>
    fetch(url, { method: 'POST', body: req.body, headers: req.headers });

  beforeAll(async () => {
    slack = await FakeSlack.start();
    const config = slack.slackConfig({ mode: 'http', appToken: undefined, signingSecret: SECRET, port: 0 });
    adapter = createSlackAdapter(config, { log: logs.log, retryConfig: { retries: 0 } });
    await adapter.start(rec.handle);
    url = `http://127.0.0.1:${adapter.httpPort()}/slack/events`;
    slack.useHttp(url, SECRET);
  });
  afterAll(async () => {
    await adapter.stop();
    await slack.stop();
  });

  it('listens on the configured port without opening a socket', () => {
    expect(adapter.httpPort()).toBeGreaterThan(0);
    expect(slack.connections).toBe(0);
  });

  it('accepts a correctly signed slash command and acks it at once', async () => {
    const env = await slack.slashCommand('U0ALICE', 'red sneakers');
    expect(env.status).toBe(200);
    expect(env.ackMs).toBeLessThan(3000);
    expect(await rec.next('command')).toMatchObject({
      type: 'command',
      user: 'U0ALICE',
      text: 'red sneakers',
    });
  });

  it('accepts signed interactions (payload= form) and events (JSON)', async () => {
    const thread = { platform: 'slack' as const, channel: CHANNEL, thread: '1700000001.000001' };
    const ts = await adapter.post(thread, {
      kind: 'text',
      text: 'Approve?',
      buttons: [{ action: 'storyboard.approve', label: 'Approve', value: 'run-1' }],
    });
    let from = rec.events.length;
    const click = await slack.click(
      'U0ALICE',
      slack.messages.find((m) => m.ts === ts)!,
      'storyboard.approve',
    );
    expect(click.status).toBe(200);
    expect(await rec.next('action', from)).toMatchObject({
      action: 'storyboard.approve',
      value: 'run-1',
      thread,
    });
    from = rec.events.length;
    await slack.say('U0BOB', thread.thread, 'looks great');
    expect(await rec.next('message', from)).toMatchObject({ user: 'U0BOB', text: 'looks great', thread });
    from = rec.events.length;
    await slack.react('U0BOB', ts, 'heavy_check_mark');
    expect(await rec.next('reaction', from)).toMatchObject({ reaction: 'approve', messageId: ts });
  });

  it('answers Slack’s URL verification challenge', async () => {
    const res = await post(
      signedRequest(JSON.stringify({ type: 'url_verification', challenge: 'abc123' }), SECRET),
    );
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('abc123');
  });

  it('rejects a forged signature, a stale timestamp and missing headers with 401', async () => {
    const from = rec.events.length;
    const forged = await post(signedRequest(command('forged'), SECRET, { tamper: true }));
    const wrongSecret = await post(signedRequest(command('wrong secret'), 'not-the-secret'));
    const stale = await post(
      signedRequest(command('stale'), SECRET, { ts: Math.floor(Date.now() / 1000) - 6 * 60 }),
    );
    const unsigned = await fetch(url, {
      method: 'POST',
      body: command('unsigned'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([forged.status, wrongSecret.status, stale.status, unsigned.status]).toEqual([401, 401, 401, 401]);
    await sleep(50);
    expect(rec.events.slice(from)).toEqual([]);
    expect(logs.lines.join('\n')).not.toContain(SECRET);
  });

  it('acks a signed but malformed command and drops it', async () => {
    const from = rec.events.length;
    const body = new URLSearchParams({ command: '/adgen', text: 'no user', trigger_id: 't1' }).toString();
    const res = await post(signedRequest(body, SECRET));
    expect(res.status).toBe(200);
    await sleep(50);
    expect(rec.events.slice(from)).toEqual([]);
    expect(logs.lines.some((l) => l.includes('dropped malformed payload'))).toBe(true);
  });
});
