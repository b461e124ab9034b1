import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatInputCommandInteraction } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscordMessage } from '../../src/bot/discord/components.ts';
import { createInteractionRegistry, LIVE_INTERACTIONS_KEPT } from '../../src/bot/discord/interactions.ts';
import {
  createFileLimitStore,
  createMemoryLimitStore,
  MAX_CHANNELS,
} from '../../src/bot/discord/limit-store.ts';
import { createImageMemory } from '../../src/bot/discord/messages.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-caches-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const channel = (n: number) => String(100_000_000_000_000_000n + BigInt(n));

describe('live interactions (redelivery dedupe, commands, clicks)', () => {
  it('forget an interaction once its token expired', async () => {
    const live = createInteractionRegistry(150);
    const command = { id: 'i1' } as ChatInputCommandInteraction;
    expect(live.firstSight('i1')).toBe(true);
    expect(live.firstSight('i1')).toBe(false);
    live.awaitThread(command);
    expect(live.stillWaiting('i1')).toBe(true);
    await sleep(400); // generous: the machine is loaded
    expect(live.stillWaiting('i1')).toBe(false);
    expect(live.takeCommand('i1')).toBeUndefined();
    expect(live.firstSight('i1')).toBe(true);
  });

  it('hand a waiting command out once', () => {
    const live = createInteractionRegistry();
    live.awaitThread({ id: 'i2' } as ChatInputCommandInteraction);
    expect(live.takeCommand('i2')?.id).toBe('i2');
    expect(live.takeCommand('i2')).toBeUndefined();
  });

  it(`keep at most ${LIVE_INTERACTIONS_KEPT} ids, forgetting the oldest first`, () => {
    const live = createInteractionRegistry();
    for (let i = 0; i <= LIVE_INTERACTIONS_KEPT; i++) expect(live.firstSight(`id-${i}`)).toBe(true);
    expect(live.firstSight(`id-${LIVE_INTERACTIONS_KEPT}`)).toBe(false); // newest: still known
    expect(live.firstSight('id-1')).toBe(false);
    expect(live.firstSight('id-0')).toBe(true); // the one past the bound was forgotten
  });
});

describe('stored image urls of sent cards', () => {
  const image = path.join(dir, 'mood.png');
  fs.writeFileSync(image, 'png');
  const rendered: DiscordMessage = {
    content: 'card',
    embeds: [{ image: { url: 'attachment://mood.png' } }],
    components: [],
    files: [{ attachment: image, name: 'mood.png' }],
    mentions: [],
  };
  const sent = (id: string) => ({ id, embeds: [{ image: { url: `https://cdn.test/${id}/mood.png` } }] });
  const reuses = (memory: ReturnType<typeof createImageMemory>, id: string) =>
    memory.forEdit(id, rendered).keepAttachments;

  it('keep the newest `max` messages: an older one re-uploads its images on edit', () => {
    const memory = createImageMemory(3);
    for (const id of ['m1', 'm2', 'm3', 'm4']) memory.remember(sent(id), rendered);
    expect(reuses(memory, 'm1')).toBe(false);
    expect(['m2', 'm3', 'm4'].map((id) => reuses(memory, id))).toEqual([true, true, true]);
    expect(memory.forEdit('m4', rendered).message.embeds?.[0]).toMatchObject({
      image: { url: 'https://cdn.test/m4/mood.png' },
    });
  });
});

describe('upload limits per channel', () => {
  it(`in memory: at most ${MAX_CHANNELS} channels, least recently used forgotten first`, () => {
    const store = createMemoryLimitStore();
    for (let i = 0; i < MAX_CHANNELS; i++) store.set(channel(i), 1000 + i);
    expect(store.get(channel(0))).toBe(1000); // a read makes it recent
    store.set(channel(MAX_CHANNELS), 9);
    expect(store.get(channel(0))).toBe(1000);
    expect(store.get(channel(1))).toBeUndefined();
    expect(store.get(channel(MAX_CHANNELS))).toBe(9);
  });

  it('on disk: the same bound, and the recency order survives a restart', () => {
    const file = path.join(dir, 'limits.json');
    const store = createFileLimitStore(file);
    for (let i = 0; i <= MAX_CHANNELS; i++) store.set(channel(i), 1000 + i);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
    expect(Object.keys(saved)).toHaveLength(MAX_CHANNELS);
    expect(saved[channel(0)]).toBeUndefined();

    const again = createFileLimitStore(file);
    expect(again.get(channel(1))).toBe(1001);
    expect(again.get(channel(MAX_CHANNELS))).toBe(1000 + MAX_CHANNELS);
    // channel 1 was just read and channel 2 is now the oldest: a new channel evicts channel 2.
    again.set(channel(MAX_CHANNELS + 1), 7);
    expect(again.get(channel(1))).toBe(1001);
    expect(again.get(channel(2))).toBeUndefined();
  });
});
