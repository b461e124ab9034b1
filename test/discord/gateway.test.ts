import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadRef } from '../../src/bot/core/ports.ts';
import { type Harness, startHarness } from './harness.ts';

describe('discord adapter: gateway drops and malformed input', () => {
  let h: Harness;
  let thread: ThreadRef;
  beforeAll(async () => {
    h = await startHarness({ heartbeatIntervalMs: 200 });
    h.fake.slash('alice', 'coffee');
    thread = await h.fake.waitFor(() => h.threads[0]);
  });
  afterAll(() => h?.stop());

  it('heartbeats are answered and the connection stays up', async () => {
    await h.fake.waitFor(() => h.fake.gateway.heartbeats >= 2, 5000);
    expect(h.fake.gateway.connections).toBe(1);
  });

  it('after a drop the client RESUMEs and gets the events it missed replayed', async () => {
    const back = h.fake.disconnect();
    // Sent while the client is disconnected: only the RESUME replay can deliver it.
    const m = h.fake.say('alice', thread.channel, 'sent during the outage');
    await back;
    expect(h.fake.gateway.resumes).toBe(1);
    expect(await h.event('message', (e) => e.eventId === m.id)).toMatchObject({
      text: 'sent during the outage',
    });
    h.fake.react('bob', thread.channel, '223456789012345678', '🔁');
    expect(await h.event('reaction', (e) => e.messageId === '223456789012345678')).toMatchObject({
      reaction: 'regenerate',
    });
  });

  it('after an invalidated session the client IDENTIFYs again and keeps delivering', async () => {
    await h.fake.disconnect({ resume: false });
    expect(h.fake.gateway.identifies).toBe(2);
    const m = h.fake.say('alice', thread.channel, 'after re-identify');
    expect(await h.event('message', (e) => e.eventId === m.id)).toBeTruthy();
    // The thread came back in GUILD_CREATE, so the client can still post and edit in it.
    const id = await h.adapter.post(thread, { kind: 'text', text: 'still here' });
    await h.adapter.update(thread, id, { kind: 'text', title: 'Status', text: 'still here, edited' });
    expect(h.fake.messages.get(id)!.embeds[0].description).toBe('still here, edited');
    const slash = h.fake.slash('bob', 'tea');
    await h.fake.waitFor(() => h.threads.length === 2);
    expect(slash.callback?.type).toBe(5);
  });

  it('survives malformed interactions and still answers every one it acknowledges', async () => {
    const board = await h.adapter.post(thread, {
      kind: 'text',
      text: 'x',
      buttons: [{ action: 'job.retry', label: 'Retry', value: 'retry' }],
    });
    const msg = h.fake.messages.get(board)!;
    const long = h.fake.click('alice', msg, 'x'.repeat(300));
    expect(await h.event('action', (e) => e.eventId === long.id)).toMatchObject({
      action: 'x'.repeat(100),
      value: '',
    });
    const ctl = h.fake.click('alice', msg, 'mood.select:\u0000\u0007');
    expect(await h.event('action', (e) => e.eventId === ctl.id)).toMatchObject({
      action: 'mood.select',
      value: '',
    });
    const unknown = h.fake.click('alice', msg, 'hack.the.planet:1');
    expect(await h.event('action', (e) => e.eventId === unknown.id)).toMatchObject({
      action: 'hack.the.planet',
      value: '1',
    });
    const twoValues = h.fake.click('alice', msg, 'scene.regenerate', ['1', '2']);
    expect(await h.event('action', (e) => e.eventId === twoValues.id)).toMatchObject({
      action: 'scene.regenerate',
      value: '',
    });
    const noId = h.fake.interact('alice', 3, h.fake.channels.get(thread.channel), {
      message: { ...msg, edits: undefined },
      data: { component_type: 2 },
    });
    expect(await h.event('action', (e) => e.eventId === noId.id)).toMatchObject({
      action: 'invalid',
      value: '',
    });

    const badOption = h.fake.slash('alice', undefined, {
      data: {
        id: '900000000000000001',
        name: 'adgen',
        type: 1,
        options: [{ name: 'idea', type: 4, value: 5 }],
      },
    });
    expect(await h.event('command', (e) => e.eventId === badOption.id)).toMatchObject({ text: '' });

    // /adgen inside a thread cannot start another thread: a note, no command for the core.
    const inThread = h.fake.interact('alice', 2, h.fake.channels.get(thread.channel), {
      data: { id: '900000000000000001', name: 'adgen', type: 1, options: [] },
    });
    await h.fake.waitFor(() =>
      h.fake.messages.get(inThread.originalMessageId ?? '')?.content.includes('server text channel'),
    );
    expect(h.events.some((e) => e.eventId === inThread.id)).toBe(false);

    for (const i of [long, ctl, unknown, twoValues, noId, badOption, inThread])
      expect(i.callback).toBeDefined();
    const ok = h.fake.click('alice', msg, 'job.retry:retry');
    expect(await h.event('action', (e) => e.eventId === ok.id)).toMatchObject({
      action: 'job.retry',
      value: 'retry',
    });
    expect(h.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
