import { ChannelType, PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadBlocker } from '../../src/bot/discord/thread-rules.ts';
import { PERMS } from '../fakes/discord-wire.ts';

const FORUM_ID = '300000000000000077';

import { type Harness, startHarness } from './harness.ts';

const all = new PermissionsBitField(BigInt(PERMS));

describe('where /adgen cannot open its thread, the person is told why and what to grant', () => {
  it('names forum channels, other channel kinds and each missing permission', () => {
    expect(threadBlocker(ChannelType.GuildText, all)).toBeNull();
    expect(threadBlocker(ChannelType.GuildForum, all)).toMatch(/forum channel.*text channel instead/);
    expect(threadBlocker(ChannelType.GuildVoice, all)).toMatch(/server text channel/);
    const noThreads = all.remove(PermissionFlagsBits.CreatePublicThreads, PermissionFlagsBits.AttachFiles);
    expect(threadBlocker(ChannelType.GuildText, noThreads)).toMatch(
      /missing Create Public Threads, Attach Files\. Ask a server admin/,
    );
  });

  describe('with the real discord.js against the fake', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness({ forumChannelId: FORUM_ID });
    });
    afterAll(() => h.stop());
    const threads = () => [...h.fake.channels.values()].filter((c) => c.type === 11).length;
    const reply = (slash: { originalMessageId?: string }, re: RegExp) =>
      h.fake.waitFor(() => {
        const m = slash.originalMessageId ? h.fake.messages.get(slash.originalMessageId) : undefined;
        return m && re.test(m.content) ? m : undefined;
      });

    it('answers the command with the missing permission and opens no thread', async () => {
      const before = threads();
      const perms = (BigInt(PERMS) & ~PermissionFlagsBits.CreatePublicThreads).toString();
      const slash = h.fake.slash('alice', 'a bike light', { app_permissions: perms });
      const m = await reply(slash, /missing Create Public Threads/);
      expect(m.content).toMatch(/Ask a server admin/);
      expect(threads()).toBe(before);
      expect(h.events.filter((e) => e.type === 'command')).toHaveLength(0);
    });

    it('says a forum channel cannot hold the ad', async () => {
      const forum = h.fake.channels.get(FORUM_ID)!;
      const slash = h.fake.slash('alice', 'a bike light', { channel: forum, channel_id: FORUM_ID });
      await reply(slash, /forum channel/);
      expect(h.events.filter((e) => e.type === 'command')).toHaveLength(0);
    });
  });
});
