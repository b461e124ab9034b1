import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { CHANNEL, FakeSlack, TEAM } from '../fakes/slack.ts';
import { memoryLogger, recorder, sleep } from './helpers.ts';

/** The real Bolt app over Socket Mode against the fake; a recording handler stands in for the core. */
describe('Slack adapter, Socket Mode: incoming events', () => {
  let slack: FakeSlack;
  let adapter: SlackAdapter;
  const rec = recorder();
  const logs = memoryLogger();

  beforeAll(async () => {
    slack = await FakeSlack.start();
    adapter = createSlackAdapter(slack.slackConfig(), {
      log: logs.log,
      retryConfig: { retries: 0 },
      socketPingTimeoutMs: 1000,
    });
    await adapter.start(rec.handle);
    await slack.waitForConnection();
  });
  afterAll(async () => {
    await adapter.stop();
    await slack.stop();
    const acks = slack.ackTimesMs();
    console.log(
      `slack socket acks: n=${acks.length} max=${Math.max(...acks).toFixed(1)}ms ` +
        `median=${acks.sort((a, b) => a - b)[Math.floor(acks.length / 2)]?.toFixed(1)}ms`,
    );
  });

  it('connects over Socket Mode with the app token and checks the bot token', () => {
    expect(slack.connections).toBe(1);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(1);
    expect(slack.callsTo('auth.test').length).toBeGreaterThan(0);
  });

  it('turns /adgen into a CommandEvent and acks at once', async () => {
    const from = rec.events.length;
    const env = await slack.slashCommand('U0ALICE', 'red sneakers for <runners> & walkers');
    const cmd = await rec.next('command', from);
    expect(cmd).toEqual({
      type: 'command',
      platform: 'slack',
      eventId: env.payload.trigger_id,
      user: 'U0ALICE',
      channel: CHANNEL,
      text: 'red sneakers for <runners> & walkers',
      scope: `slack:${TEAM}:${CHANNEL}`,
      workspace: 'slack:T0FAKE', // budgets are per workspace (team_id)
    });
    expect(env.ackMs).toBeLessThan(3000);
  });

  it('acks before the handler finishes (work runs in the background)', async () => {
    const slow = await FakeSlack.start();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const a = createSlackAdapter(slow.slackConfig(), {
      log: memoryLogger().log,
      retryConfig: { retries: 0 },
    });
    await a.start(() => gate);
    await slow.waitForConnection();
    // The handler never finishes before release(): an ack at all proves it did not wait for it.
    const env = await slow.slashCommand('U0ALICE', 'slow');
    expect(env.ackMs).toBeLessThan(2000);
    release();
    await a.stop();
    await slow.stop();
  });

  it('turns a thread reply into a MessageEvent and ignores bot, subtype and top-level messages', async () => {
    const from = rec.events.length;
    slack.send('events_api', {
      type: 'event_callback',
      event_id: 'EvBOT',
      event: {
        type: 'message',
        bot_id: 'B9',
        user: 'U9',
        text: 'bot',
        ts: '1.000009',
        thread_ts: '1.000001',
        channel: CHANNEL,
      },
    });
    slack.send('events_api', {
      type: 'event_callback',
      event_id: 'EvEDIT',
      event: { type: 'message', subtype: 'message_changed', ts: '1.000010', channel: CHANNEL },
    });
    slack.send('events_api', {
      type: 'event_callback',
      event_id: 'EvTOP',
      event: { type: 'message', user: 'U0ALICE', text: 'top', ts: '1.000011', channel: CHANNEL },
    });
    const env = await slack.say('U0ALICE', '1700000001.000001', 'make it bluer');
    const msg = await rec.next('message', from);
    expect(msg).toEqual({
      type: 'message',
      eventId: env.payload.event_id,
      user: 'U0ALICE',
      thread: { platform: 'slack', channel: CHANNEL, thread: '1700000001.000001' },
      text: 'make it bluer',
    });
    await sleep(50);
    expect(rec.events.slice(from)).toHaveLength(1);
  });

  it('turns a button click and a select pick into ActionEvents in the message thread', async () => {
    const thread = { platform: 'slack' as const, channel: CHANNEL, thread: '1700000001.000001' };
    const ts = await adapter.post(thread, {
      kind: 'text',
      text: 'Pick a mood',
      buttons: [1, 2, 3].map((n) => ({
        action: 'mood.select' as const,
        label: `Select ${n}`,
        value: String(n),
      })),
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: 'Scene',
          options: [{ label: 'Scene 4', value: '4' }],
        },
      ],
    });
    const message = slack.messages.find((m) => m.ts === ts)!;
    let from = rec.events.length;
    await slack.click('U0ALICE', message, 'mood.select', '2');
    expect(await rec.next('action', from)).toMatchObject({
      type: 'action',
      user: 'U0ALICE',
      thread,
      messageId: ts,
      action: 'mood.select',
      value: '2',
    });
    from = rec.events.length;
    await slack.click('U0BOB', message, 'scene.regenerate', '4');
    expect(await rec.next('action', from)).toMatchObject({
      action: 'scene.regenerate',
      value: '4',
      user: 'U0BOB',
    });
    // An action id the card never had still reaches the core, which answers it (never trusted).
    from = rec.events.length;
    await slack.click('U0BOB', message, 'totally.unknown', 'x');
    expect(await rec.next('action', from)).toMatchObject({ action: 'totally.unknown', value: 'x' });
  });

  it('maps reactions (added and removed) to review meanings', async () => {
    const from = rec.events.length;
    await slack.react('U0ALICE', '1700000005.000005', 'white_check_mark');
    await slack.react('U0ALICE', '1700000005.000005', 'three');
    await slack.react('U0ALICE', '1700000005.000005', 'repeat', { removed: true });
    await slack.waitFor(() => rec.events.length >= from + 3, 'reactions');
    expect(rec.events.slice(from).map((e) => e.type === 'reaction' && [e.reaction, e.raw, e.added])).toEqual([
      ['approve', 'white_check_mark', true],
      ['vote-3', 'three', true],
      ['regenerate', 'repeat', false],
    ]);
    expect(rec.events[from]).toMatchObject({
      platform: 'slack',
      channel: CHANNEL,
      messageId: '1700000005.000005',
    });
  });

  it('passes a redelivered event with the same eventId (the core dedupes)', async () => {
    const from = rec.events.length;
    const first = await slack.react('U0BOB', '1700000006.000006', 'x');
    const again = await slack.redeliver(first);
    expect(again.payload.event_id).toBe(first.payload.event_id);
    await slack.waitFor(() => rec.events.length >= from + 2, 'redelivery');
    const [a, b] = rec.events.slice(from);
    expect(a!.eventId).toBe(b!.eventId);
  });

  it('drops malformed payloads without crashing, logging no payload contents', async () => {
    const from = rec.events.length;
    const bad = [
      slack.send('slash_commands', {
        command: '/adgen',
        text: 'no user or channel',
        token: 'verification-token',
      }),
      slack.send('interactive', {
        type: 'block_actions',
        user: { id: 'U0ALICE' },
        container: { message_ts: '1.1', channel_id: CHANNEL },
        actions: [
          { type: 'datepicker', action_id: 'mood.select:0', selected_date: '2025-01-01', action_ts: '1.2' },
        ],
      }),
      slack.send('interactive', { type: 'block_actions', user: { id: 'U0ALICE' }, actions: null }),
      slack.send('events_api', {
        type: 'event_callback',
        event_id: 'EvX',
        event: { type: 'reaction_added', user: 'U1' },
      }),
      slack.send('events_api', {
        type: 'event_callback',
        event_id: 'EvY',
        event: { type: 'message', ts: 'x', channel: 'C:1' },
      }),
      slack.send('interactive', { type: 'something_new' }),
    ];
    await Promise.race([Promise.all(bad.slice(0, 2).map((e) => e.acked)), sleep(2000)]);
    await sleep(100);
    expect(rec.events.slice(from)).toEqual([]);
    expect(logs.lines.filter((l) => l.includes('dropped malformed payload')).length).toBeGreaterThanOrEqual(
      3,
    );
    expect(logs.lines.join('\n')).not.toContain('verification-token');
    // Still alive and acking.
    await slack.slashCommand('U0ALICE', 'after the junk');
    expect((await rec.next('command', from)).text).toBe('after the junk');
  });

  it('reconnects when Slack asks it to and keeps receiving', async () => {
    const from = rec.events.length;
    slack.disconnect();
    await slack.waitFor(() => slack.connections === 2, 'reconnect');
    await slack.waitForConnection();
    await slack.slashCommand('U0ALICE', 'after reconnect');
    expect((await rec.next('command', from)).text).toBe('after reconnect');
  });

  it('never writes a token to the log', () => {
    const all = logs.lines.join('\n');
    expect(all).not.toContain(slack.botToken);
    expect(all).not.toContain(slack.appToken);
  });

  it('acks a burst of 60 deliveries while the handlers are still working', async () => {
    const burst = await FakeSlack.start();
    const a = createSlackAdapter(burst.slackConfig(), {
      log: memoryLogger().log,
      retryConfig: { retries: 0 },
    });
    // Like the core: a little synchronous work (SQLite) and a long wait (an LLM call, an upload).
    // The fake shares this process, so synchronous work here delays the fake reading acks too.
    await a.start(async () => {
      const end = performance.now() + 1;
      while (performance.now() < end) {}
      await sleep(300);
    });
    await burst.waitForConnection();
    const sent = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? burst.slashCommand('U0ALICE', `idea ${i}`)
          : i % 3 === 1
            ? burst.say('U0ALICE', '1700000001.000001', `reply ${i}`)
            : burst.react('U0ALICE', '1700000001.000001', 'one'),
      ),
    );
    const ms = sent.map((e) => e.ackMs!).sort((x, y) => x - y);
    const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
    console.log(`slack burst acks: n=${ms.length} p50=${p(0.5).toFixed(1)}ms p99=${p(0.99).toFixed(1)}ms`);
    expect(p(0.99)).toBeLessThan(3000);
    await a.stop();
    await burst.stop();
  });

  it('acks every envelope well under 3 s', () => {
    const acks = slack.ackTimesMs();
    expect(acks.length).toBeGreaterThan(8);
    expect(Math.max(...acks)).toBeLessThan(3000);
  });
});
