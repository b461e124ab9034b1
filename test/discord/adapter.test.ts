import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../../src/bot/core/cards.ts';
import { decodeThreadId, encodeThreadId, type ThreadRef } from '../../src/bot/core/ports.ts';
import type { FakeMessage } from '../fakes/discord.ts';
import { type Harness, startHarness } from './harness.ts';

const LIMIT = 256 * 1024;

/** Events name the thread only; rootMessage is what openThread adds for the core's link. */
const bare = ({ platform, channel, thread }: ThreadRef): ThreadRef => ({ platform, channel, thread });

describe('discord adapter against the fake Discord (real discord.js)', () => {
  let h: Harness;
  let thread: ThreadRef;
  let mood: FakeMessage;
  beforeAll(async () => {
    // The handler waits 400 ms before opening the thread, like a core that thinks first.
    h = await startHarness({ uploadLimitBytes: LIMIT, commandDelayMs: 400 });
  });
  afterAll(() => h?.stop());

  it('logs in over the gateway with the intents the bot needs', () => {
    expect(h.fake.gateway.identifies).toBe(1);
    const bits = (1 << 0) | (1 << 9) | (1 << 10) | (1 << 15); // Guilds, GuildMessages, reactions, MessageContent
    expect(h.fake.gateway.intents).toBe(bits);
    expect(h.fake.requests[0]).toBe('GET /api/v10/gateway/bot 200 auth=yes');
  });

  it('/adgen is deferred at once, then becomes the root card with a thread on it', async () => {
    const slash = h.fake.slash('alice', 'red sneakers for runners');
    const cmd = await h.event('command');
    expect(cmd).toMatchObject({
      eventId: slash.id,
      platform: 'discord',
      channel: h.fake.ids.channel,
      user: slash.user.id,
      text: 'red sneakers for runners',
    });
    await h.fake.waitFor(() => h.threads[0]);
    // Acknowledged before the (slow) handler ran: well inside Discord's 3 seconds.
    expect(slash.callback?.type).toBe(5);
    expect(slash.callback!.latencyMs).toBeLessThan(400);
    console.log(`initial response to /adgen after ${slash.callback!.latencyMs.toFixed(1)} ms`);
    thread = h.threads[0]!;
    const root = h.fake.messages.get(slash.originalMessageId!)!;
    expect(root.embeds[0].title).toBe('🎬 New video ad');
    expect(root.flags & 128).toBe(0); // no longer "thinking"
    // Thread started from the reply: its id is the reply's id, and the ThreadRef uses it twice.
    expect(h.fake.channels.get(root.id)).toMatchObject({
      type: 11,
      parent_id: h.fake.ids.channel,
      name: '🎬 red sneakers for runners',
    });
    expect(thread).toEqual({
      platform: 'discord',
      channel: root.id,
      thread: root.id,
      // The starter message lives in the parent channel: reactions there must reach the thread.
      rootMessage: { channel: h.fake.ids.channel, messageId: root.id },
    });
    expect(decodeThreadId(encodeThreadId(thread))).toEqual(bare(thread));
    expect(encodeThreadId(thread)).toBe(`discord:${root.id}:${root.id}`);
    expect(h.adapter.uploadLimitBytes(thread)).toBe(LIMIT);
  });

  it('posts cards with images as attachments that the embeds reference', async () => {
    const card: Card = {
      kind: 'text',
      title: '1. Sunrise',
      text: 'Warm and bright',
      palette: ['#ff8800', '#222222'],
      images: [1, 2, 3].map((n) => ({ path: h.file(`s${n}.png`, 2048, n), alt: `Sunrise sample ${n}` })),
      buttons: [{ action: 'mood.select', label: 'Select Sunrise', value: '0', style: 'primary' }],
      footer: '0 votes',
    };
    const id = await h.adapter.post(thread, card);
    mood = h.fake.messages.get(id)!;
    expect(mood.channel_id).toBe(thread.channel);
    expect(mood.attachments.map((a) => a.filename)).toEqual(['image-1.png', 'image-2.png', 'image-3.png']);
    // Each image embed points at its own uploaded file (the fake resolves attachment://name).
    expect(mood.embeds.slice(1).map((e) => e.image.url)).toEqual(mood.attachments.map((a) => a.url));
    expect(mood.embeds[0].color).toBe(0xff8800);
    expect(mood.embeds.at(-1).footer.text).toBe('0 votes');
    expect(mood.components[0].components[0].custom_id).toBe('mood.select:0');
    expect(fs.readFileSync(mood.attachments[1]!.path).equals(fs.readFileSync(card.images![1]!.path))).toBe(
      true,
    );

    // A text-only change reuses the stored images instead of uploading them again.
    const uploads = h.fake.uploads.length;
    await h.adapter.update(thread, id, { ...card, footer: '1 vote' });
    expect(h.fake.uploads.length).toBe(uploads);
    expect(mood.embeds.at(-1).footer.text).toBe('1 vote');
    expect(mood.attachments).toHaveLength(3);
    // New images replace the old attachments.
    await h.adapter.update(thread, id, { ...card, images: [{ path: h.file('n.png', 512, 9), alt: 'new' }] });
    expect(mood.attachments.map((a) => a.size)).toEqual([512]);
    expect(mood.embeds[0].image.url).toBe(mood.attachments[0]!.url);
  });

  it('turns button clicks and select choices into actions, acknowledged with deferUpdate', async () => {
    const click = h.fake.click('alice', mood, 'mood.select:0');
    const action = await h.event('action', (e) => e.eventId === click.id);
    expect(action).toMatchObject({
      thread: bare(thread),
      user: click.user.id,
      messageId: mood.id,
      action: 'mood.select',
      value: '0',
    });
    expect(click.callback?.type).toBe(6);
    console.log(`initial response to a button after ${click.callback!.latencyMs.toFixed(1)} ms`);

    const board = await h.adapter.post(thread, {
      kind: 'text',
      text: 'Storyboard',
      buttons: [{ action: 'storyboard.approve', label: 'Approve', value: 'approve' }],
      selects: [
        {
          action: 'scene.regenerate',
          placeholder: 'Regenerate…',
          options: [
            { label: 'Scene 1', value: '0' },
            { label: 'Scene 2', value: '1' },
          ],
        },
      ],
    });
    const pick = h.fake.click('alice', board, 'scene.regenerate', ['1']);
    expect(await h.event('action', (e) => e.eventId === pick.id)).toMatchObject({
      action: 'scene.regenerate',
      value: '1',
      messageId: board,
    });
    expect(pick.callback?.type).toBe(6);
  });

  it('answers privately with an ephemeral follow-up, or a mention when no interaction is live', async () => {
    const alice = h.fake.user('alice');
    await h.adapter.postPrivate(thread, alice.id, 'Only the requester can approve.');
    expect(h.fake.followUps.at(-1)).toMatchObject({
      ephemeral: true,
      content: 'Only the requester can approve.',
    });
    const bob = h.fake.user('bob');
    await h.adapter.postPrivate(thread, bob.id, 'Still working.');
    const last = h.fake.inChannel(thread.channel).at(-1)!;
    expect(last.content).toBe(`<@${bob.id}> Still working.`);
  });

  it('delivers human thread messages, not the bot’s own or channel chatter', async () => {
    const before = h.events.filter((e) => e.type === 'message').length;
    h.fake.say('carol', h.fake.ids.channel, 'not in a thread');
    const m = h.fake.say('alice', thread.channel, 'audience: runners 25-40');
    const e = await h.event('message', (x) => x.eventId === m.id);
    expect(e).toMatchObject({
      thread: bare(thread),
      user: h.fake.user('alice').id,
      text: 'audience: runners 25-40',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.events.filter((x) => x.type === 'message').length).toBe(before + 1);
  });

  it('delivers reactions on messages the client never cached', async () => {
    const uncached = '123456789012345678';
    expect(
      h.adapter.client.channels.cache.get(thread.channel)?.isTextBased() &&
        'messages' in h.adapter.client.channels.cache.get(thread.channel)!,
    ).toBeTruthy();
    h.fake.react('bob', thread.channel, uncached, '✅');
    const add = await h.event('reaction', (e) => e.messageId === uncached && e.added);
    expect(add).toMatchObject({
      platform: 'discord',
      channel: thread.channel,
      user: h.fake.user('bob').id,
      reaction: 'approve',
      raw: '✅',
    });
    h.fake.react('bob', thread.channel, uncached, '✅', false);
    expect(await h.event('reaction', (e) => e.messageId === uncached && !e.added)).toMatchObject({
      reaction: 'approve',
    });
    h.fake.react('bob', thread.channel, mood.id, '2️⃣');
    expect(await h.event('reaction', (e) => e.messageId === mood.id)).toMatchObject({ reaction: 'vote-2' });
    h.fake.react('bob', thread.channel, uncached, '<:party:999999999999999999>');
    expect(await h.event('reaction', (e) => e.raw.startsWith('<:party'))).toMatchObject({
      reaction: 'other',
    });
  });

  it('uploads a file under the limit into the thread, and explains a file over it', async () => {
    const video = h.file('ad.mp4', 100 * 1024, 7);
    const messageId = await h.adapter.upload(thread, {
      path: video,
      filename: 'adgen ad.mp4',
      title: 'Ad: sneakers',
      comment: '🎉 Your ad is ready',
      nonce: 'k3q7x2m9ab',
    });
    const up = h.fake.uploads.at(-1)!;
    // The nonce rides in the file name, which Discord keeps and lists in the message history.
    expect(up).toMatchObject({
      channelId: thread.channel,
      filename: 'adgen_ad-k3q7x2m9ab.mp4',
      size: 100 * 1024,
      messageId,
    });
    // Buffer.equals: vitest's deep equality is slow on 100 KB.
    expect(fs.readFileSync(up.path).equals(fs.readFileSync(video))).toBe(true);
    expect(h.fake.messages.get(up.messageId)!.content).toBe('🎉 Your ad is ready');

    const big = h.file('big.mp4', 300 * 1024, 3);
    const err = await h.adapter
      .upload(thread, { path: big, filename: 'big.mp4', title: 'x', comment: 'x', nonce: 'aaaaaaaaaa' })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'upload_too_large' });
    expect(err.message).toMatch(
      /0\.29 MiB is over this server's upload limit of 0\.25 MiB per file.*draft profile/,
    );
  });

  it('opens a thread on a plain message when the interaction is gone (e.g. replayed command)', async () => {
    const ref = await h.adapter.openThread(
      {
        type: 'command',
        eventId: 'gone',
        platform: 'discord',
        channel: h.fake.ids.channel,
        user: '1',
        text: '',
      },
      { kind: 'text', text: 'hello' },
    );
    expect(h.fake.channels.get(ref.channel)).toMatchObject({ type: 11, name: '🎬 New video ad' });
    expect(h.fake.messages.get(ref.channel)!.content).toBe('hello');
  });

  it('never lets a token reach the logs', () => {
    const all = h.logs.join('\n');
    expect(all).not.toContain(h.fake.token);
    expect(all).not.toMatch(/itok-/);
  });
});
