import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { createSlackSender } from '../../src/bot/slack/sender.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { adapterContract, type Shown } from './adapter-contract.ts';

// biome-ignore lint/suspicious/noExplicitAny: walking Block Kit JSON
type Any = any;
const texts = (node: Any): string[] =>
  node && typeof node === 'object'
    ? Object.entries(node).flatMap(([k, v]) => (k === 'text' && typeof v === 'string' ? [v] : texts(v)))
    : [];
const elements = (blocks: Any[], type: string) =>
  blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])).filter((e: Any) => e.type === type).length;

adapterContract('slack', async () => {
  const slack = await FakeSlack.start();
  const config = slack.slackConfig();
  const adapter = createSlackAdapter(config, { retryConfig: { retries: 0 }, fileRetryDelaysMs: [100, 200] });
  const user = 'U0ALICE';
  return {
    adapter,
    user,
    afterStart: async () => void (await slack.waitForConnection()),
    makeSender: () =>
      createSlackSender(config, { retryConfig: { retries: 0 }, fileRetryDelaysMs: [100, 200] }),
    connections: () => slack.callsTo('apps.connections.open').length,
    command: async (text) => void (await slack.slashCommand(user, text)),
    say: async (thread, text) => void (await slack.say(user, thread.thread, text, thread.channel)),
    async click(_thread, messageId, action, value) {
      const m = await slack.waitForMessage((x) => x.ts === messageId);
      await slack.click(user, m, action, value);
    },
    react: async (channel, ts, added) =>
      void (await slack.react(user, ts, 'x', { channel, removed: !added })),
    shown(_thread, ts): Shown | undefined {
      const m = slack.messages.find((x) => x.ts === ts);
      if (!m) return undefined;
      const blocks = (m.blocks ?? []) as Any[];
      return {
        text: [m.text, ...texts(blocks)].join('\n'),
        buttons: elements(blocks, 'button'),
        selects: elements(blocks, 'static_select'),
        images: blocks.filter((b) => b.type === 'image').length,
      };
    },
    privates: () => [
      ...slack.ephemerals.filter((e) => e.user === user).map((e) => e.text),
      ...slack.responses.map((r) => String(r.text ?? '')),
    ],
    mentionSyntax: `<@${user}>`,
    reactsOnAnyMessage: true,
    uploadLimit: 1024 ** 3,
    async stop() {
      await adapter.stop();
      await slack.stop();
    },
  };
});
