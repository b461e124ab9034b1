import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moodCard, rootCard, storyboardCard } from '../../src/bot/core/card-builders.ts';
import { type Card, mention } from '../../src/bot/core/cards.ts';
import type { ChatAdapter, ChatSender, CommandEvent, Incoming, ThreadRef } from '../../src/bot/core/ports.ts';

/** What one platform's message looks like to its users, read back from the fake. */
export interface Shown {
  text: string;
  buttons: number;
  selects: number;
  images: number;
}

/**
 * One platform under the contract: the real adapter against its loopback fake, and the user-side
 * moves of the fake. Ids are the platform's (a Slack `U…`, a Discord snowflake, a console name).
 */
export interface ContractDriver {
  adapter: ChatAdapter;
  user: string;
  /** Started = connected and ready for events. */
  afterStart?(): Promise<void>;
  /** A sender from credentials alone: never started, no gateway or socket. */
  makeSender(): ChatSender;
  /** How many receiving connections the fake has seen (a lone sender must open none). */
  connections(): number;
  command(text: string): Promise<void>;
  say(thread: ThreadRef, text: string): Promise<void>;
  click(thread: ThreadRef, messageId: string, action: string, value: string): Promise<void>;
  react(channel: string, messageId: string, added: boolean): Promise<void>;
  shown(thread: ThreadRef, messageId: string): Shown | undefined;
  /** Private text `user` got (ephemeral or otherwise only theirs), newest last. */
  privates(): string[];
  /** The platform's user-mention syntax for the driver's user. */
  mentionSyntax: string;
  /** False where reactions always land on the latest card (the console): no root reaction. */
  reactsOnAnyMessage: boolean;
  /** The expected upload limit for a new thread. */
  uploadLimit: number | null;
  stop(): Promise<void>;
}

const HELP = 'adgen makes a 30-second video ad: run /adgen with your idea.';

async function waitFor<T>(fn: () => T | undefined | false | null, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('contract: timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The chat port's promises, the same for every platform (ports.ts). */
export function adapterContract(name: string, make: () => Promise<ContractDriver>) {
  describe(`chat port contract: ${name}`, () => {
    let d: ContractDriver;
    const events: Incoming[] = [];
    const threads: ThreadRef[] = [];
    let thread: ThreadRef;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `contract-${name}-`));
    const png = (file: string, seed: number) => {
      const p = path.join(dir, file);
      const sig = Buffer.from('89504e470d0a1a0a', 'hex');
      fs.writeFileSync(p, Buffer.concat([sig, Buffer.alloc(64, seed)]));
      return p;
    };
    const next = <T extends Incoming['type']>(
      type: T,
      pred: (e: Extract<Incoming, { type: T }>) => boolean,
    ) =>
      waitFor(() =>
        events.find((e): e is Extract<Incoming, { type: T }> => e.type === type && pred(e as never)),
      );

    beforeAll(async () => {
      d = await make();
      // Like the core: help is answered in place, anything else opens a thread.
      await d.adapter.start(async (e) => {
        events.push(e);
        if (e.type !== 'command') return;
        if (e.text.trim() === 'help') return d.adapter.answerCommand(e, HELP);
        threads.push(await d.adapter.openThread(e, rootCard(e.user, e.text)));
      });
      await d.afterStart?.();
    });
    afterAll(async () => {
      await d.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a command arrives as Incoming and opens a thread whose id round-trips', async () => {
      await d.command('red sneakers');
      const cmd = await next('command', (e) => e.text.includes('red sneakers'));
      expect(cmd).toMatchObject({ platform: d.adapter.platform, user: d.user });
      thread = await waitFor(() => threads[0]);
      const id = d.adapter.threadIds.encode(thread);
      expect(id.startsWith(`${d.adapter.platform}:`)).toBe(true);
      const { rootMessage: _root, ...bare } = thread;
      expect(d.adapter.threadIds.decode(id)).toEqual(bare);
      const other = d.adapter.platform === 'slack' ? 'discord' : 'slack';
      expect(() => d.adapter.threadIds.decode(`${other}:a:b`)).toThrow(/not a/);
      // The adapter's codec checks its own parts, not just the framing.
      expect(() => d.adapter.threadIds.decode(id.replace(/:[^:]+$/, ':-'))).toThrow(/thread id/);
      expect(() => d.adapter.threadIds.encode({ ...bare, channel: 'has space' })).toThrow(/channel id/);
    });

    it('posts and updates cards of every kind: buttons, select, images; mentions in its own syntax', async () => {
      const board = {
        index: 0,
        images: [png('a.png', 1), png('b.png', 2)],
        mood: {
          name: 'Sunrise',
          description: 'Warm light.',
          aesthetic: 'Soft film grain.',
          styleKeywords: ['warm'],
          palette: ['#ffaa00', '#223344'],
        },
      } as Parameters<typeof moodCard>[0];
      const mood = await d.adapter.post(thread, moodCard(board, 0));
      expect(d.shown(thread, mood)).toMatchObject({ buttons: 1, images: 2 });
      await d.adapter.update(thread, mood, moodCard(board, 2));
      await waitFor(() => d.shown(thread, mood)?.text.includes('2 votes'));
      const scenes = [0, 1].map((index) => ({
        index,
        startS: index * 15,
        image: png(`s${index}.png`, 10 + index),
        scene: { title: `Scene ${index + 1}`, description: 'Runner at dawn.', durationS: 15, onScreen: '' },
      })) as Parameters<typeof storyboardCard>[0];
      const voice = { current: 'coral', voices: ['coral', 'ash'] };
      const sb = await d.adapter.post(
        thread,
        storyboardCard(scenes, { totalUsd: 0, lines: [] }, 0, 1, voice),
      );
      // Approve, Regenerate all, Edit, Cancel; the scene menu and the voice menu.
      expect(d.shown(thread, sb)).toMatchObject({ buttons: 4, selects: 2, images: 2 });
      const text: Card = { kind: 'text', text: `🎨 ${mention(d.user)} picked it` };
      const said = await d.adapter.post(thread, text);
      const shown = d.shown(thread, said)!.text;
      expect(shown).toContain(`🎨 ${d.mentionSyntax} picked it`);
      expect(shown).not.toMatch(/[\uE000\uE001]/);
    });

    it('sends a private message only that user sees', async () => {
      await d.adapter.postPrivate(thread, d.user, `Only ${mention(d.user)} can approve.`);
      await waitFor(() => d.privates().some((p) => p.includes(`Only ${d.mentionSyntax} can approve.`)));
    });

    it('uploads a file carrying a nonce, and finds it again by that nonce', async () => {
      const video = path.join(dir, 'ad.mp4');
      fs.writeFileSync(video, Buffer.alloc(4096, 7));
      const file = {
        path: video,
        filename: 'ad.mp4',
        title: 'Ad',
        comment: 'Your ad is ready',
        nonce: 'n0nce42',
      };
      const since = Date.now();
      const id = await d.adapter.upload(thread, file);
      expect(await d.adapter.findUpload(thread, 'n0nce42', since)).toEqual({ messageId: id });
      expect(await d.adapter.findUpload(thread, 'absent99', since)).toBeNull();
      expect(d.adapter.uploadLimitBytes(thread)).toBe(d.uploadLimit);
    });

    it('answers a command in place without opening a thread', async () => {
      const before = threads.length;
      await d.command('help');
      await next('command', (e: CommandEvent) => e.text.trim() === 'help');
      await waitFor(() => d.privates().some((p) => p.includes(HELP)));
      expect(threads.length).toBe(before);
    });

    it('delivers thread messages, clicks (with messageId) and reactions (added and removed)', async () => {
      await d.say(thread, 'tone: playful');
      const msg = await next('message', (e) => e.text === 'tone: playful');
      expect(d.adapter.threadIds.encode(msg.thread)).toBe(d.adapter.threadIds.encode(thread));
      const card = await d.adapter.post(thread, {
        kind: 'brief',
        text: 'Brief',
        buttons: [{ action: 'brief.confirm', label: 'Looks good', value: 'ok' }],
      });
      await d.click(thread, card, 'brief.confirm', 'ok');
      const action = await next('action', (e) => e.messageId === card);
      expect(action).toMatchObject({ action: 'brief.confirm', value: 'ok', user: d.user });
      // The root message is where ❌ cancels the ad: the core links it under rootMessage (or the thread).
      const root = d.reactsOnAnyMessage
        ? (thread.rootMessage ?? { channel: thread.channel, messageId: thread.thread })
        : { channel: thread.channel, messageId: card };
      await d.react(root.channel, root.messageId, true);
      const added = await next('reaction', (e) => e.messageId === root.messageId && e.added);
      expect(added).toMatchObject({ channel: root.channel, reaction: 'cancel', user: d.user });
      await d.react(root.channel, root.messageId, false);
      await next('reaction', (e) => e.messageId === root.messageId && !e.added);
    });

    it('a sender built alone (no connection) posts and uploads into the existing thread', async () => {
      const connections = d.connections();
      const sender = d.makeSender();
      const id = await sender.post(thread, { kind: 'status', title: 'Working', text: 'from a worker' });
      await waitFor(() => d.shown(thread, id)?.text.includes('from a worker'));
      const video = path.join(dir, 'worker.mp4');
      fs.writeFileSync(video, Buffer.alloc(2048, 3));
      const file = { path: video, filename: 'ad.mp4', title: 'Ad', comment: 'ready', nonce: 'w0rker7' };
      const up = await sender.upload(thread, file);
      expect(await sender.findUpload(thread, 'w0rker7', Date.now() - 60_000)).toEqual({ messageId: up });
      expect(d.connections()).toBe(connections);
    });
  });
}
