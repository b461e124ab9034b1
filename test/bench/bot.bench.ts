/**
 * bench:bot — how fast the bot acks Slack while renders run in the same process.
 * 200 interactions (commands, thread messages, clicks) against the loopback Slack while 5 renders
 * (draft profile, offline providers) compose in the background. Prints ack percentiles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter } from '../../src/bot/slack/adapter.ts';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { startBot } from '../../src/main.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { hasAction } from '../e2e/slack-flow.ts';
import { FakeSlack } from '../fakes/slack.ts';

const INTERACTIONS = 200;
const RENDERS = 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-bench-bot-'));
const slack = await FakeSlack.start();
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'draft', ADGEN_FORCE_OFFLINE: 'true' });
const adapter = createSlackAdapter(slack.slackConfig(), { log: silentLogger, retryConfig: { retries: 0 } });
const bot = await startBot(config, { adapters: [adapter], log: silentLogger });
await slack.waitForConnection();

// Background load: five full renders in this process. Interactions start once all five are past
// planning, and are paced to overlap the clip and compose stages (the heavy part).
const { pipeline } = bot.app;
let composing = 0;
let duringCompose = 0;
const renders = Array.from({ length: RENDERS }, async (_, i) => {
  const id = await pipeline.createRun(
    `bench-${i}`,
    newRunInput(DEMO_BRIEF, { profile: 'draft', seed: i + 1, mode: 'auto' }),
  );
  await pipeline.moodBoards(id);
  await bot.app.runs.setInput(id, { ...(await pipeline.get(id)).input, moodChoice: i % 3 });
  await pipeline.storyboard(id);
  planned++;
  return pipeline.render(id);
});
let planned = 0;
while (planned < RENDERS) await new Promise((r) => setTimeout(r, 50));
const countComposing = () => {
  composing = bot.app.db.$client
    .prepare("select count(*) as n from steps where step_id like 'compose/%' and status = 'running'")
    .get() as never;
  return (composing as unknown as { n: number }).n;
};
const lag = monitorEventLoopDelay({ resolution: 10 });
lag.enable();
const started = performance.now();
const firstAck = slack.envelopes.length;

// The interactions: a few new threads, answers in them, and clicks on their cards.
const roots: string[] = [];
let done = 0;
while (done < INTERACTIONS) {
  const kind = done % 10;
  if (kind === 0 || roots.length === 0) {
    await slack.slashCommand(`U${done}`, `bench product ${done}`);
    const root = await slack.waitForMessage((m) => m.bot && !m.thread_ts && !roots.includes(m.ts), 10_000);
    roots.push(root.ts);
  } else if (kind < 7) {
    const root = roots[roots.length - 1]!;
    await slack.say(`U${done - kind}`, root, `answer ${done}, bold and warm`);
  } else {
    const card = [...slack.messages]
      .reverse()
      .find((m) => m.bot && m.thread_ts && hasAction('brief.edit')(m));
    const target = card ?? slack.messages.find((m) => m.bot && m.thread_ts)!;
    await slack.click(`U${done}`, target, card ? 'brief.edit' : 'unknown.action');
  }
  done++;
  if (countComposing() > 0) duringCompose++;
  await new Promise((r) => setTimeout(r, 550));
}
const acks = slack.envelopes.slice(firstAck).flatMap((e) => (e.ackMs === undefined ? [] : [e.ackMs]));
const interactionsS = (performance.now() - started) / 1000;
const results = await Promise.all(renders);
const sorted = [...acks].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(
  `interactions: ${acks.length} acked in ${interactionsS.toFixed(1)} s (${duringCompose} while a render composed); ` +
    `renders: ${results.length} finished after ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `ack max ${sorted.at(-1)!.toFixed(1)} ms; event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms`,
);
await bot.stop();
await slack.stop();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`bot-bench ack_p50_ms=${pct(50).toFixed(1)} ack_p99_ms=${pct(99).toFixed(1)}`);
