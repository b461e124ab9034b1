import { createDiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { createDiscordSender } from '../../src/bot/discord/sender.ts';
import { FakeDiscord } from '../fakes/discord.ts';
import { adapterContract, type Shown } from './adapter-contract.ts';

// biome-ignore lint/suspicious/noExplicitAny: reading Discord message JSON
type Any = any;
const LIMIT = 25 * 1024 * 1024;

adapterContract('discord', async () => {
  const fake = await FakeDiscord.start({ uploadLimitBytes: LIMIT });
  const adapter = createDiscordAdapter(fake.config());
  const user = fake.user('alice').id;
  const rows = (m: Any) => (m.components ?? []).flatMap((r: Any) => r.components ?? []);
  return {
    adapter,
    user,
    makeSender: () => createDiscordSender(fake.config()),
    connections: () => fake.requests.filter((r) => r.includes('/gateway')).length,
    command: async (text) => void fake.slash('alice', text),
    say: async (thread, text) => void fake.say('alice', thread.channel, text),
    click: async (_thread, messageId, action, value) =>
      void fake.click('alice', messageId, `${action}:${value}`),
    react: async (channel, messageId, added) => fake.react('alice', channel, messageId, '❌', added),
    shown(_thread, id): Shown | undefined {
      const m: Any = fake.messages.get(id);
      if (!m) return undefined;
      const embedTexts = (m.embeds ?? []).flatMap((e: Any) => [
        e.title ?? '',
        e.description ?? '',
        e.footer?.text ?? '',
        ...(e.fields ?? []).map((f: Any) => `${f.name} ${f.value}`),
      ]);
      return {
        text: [m.content, ...embedTexts].join('\n'),
        buttons: rows(m).filter((c: Any) => c.type === 2).length,
        selects: rows(m).filter((c: Any) => c.type === 3).length,
        images: m.attachments.length,
      };
    },
    // Ephemeral follow-ups and replies (flag 64), or the mention fallback where no interaction is live.
    privates: () => [
      ...fake.followUps.filter((f) => f.ephemeral).map((f) => f.content),
      ...[...fake.messages.values()]
        .filter((m) => (m.flags & 64) !== 0 || m.content.startsWith(`<@${user}>`))
        .map((m) => m.content),
    ],
    mentionSyntax: `<@${user}>`,
    reactsOnAnyMessage: true,
    uploadLimit: LIMIT,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
});
