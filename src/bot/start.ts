import type { Config } from '../config.ts';
import { createDeliveryStore } from '../db/delivery-store.ts';
import { createThreadStore } from '../db/thread-store.ts';
import { createApp } from '../main.ts';
import type { Providers } from '../pipeline/providers/ports.ts';
import { createBot } from './core/bot.ts';
import type { Logger } from './core/context.ts';
import type { ChatAdapter, Platform } from './core/ports.ts';
import { createProgressRouter } from './core/status.ts';

export interface BotOptions {
  adapters: ChatAdapter[];
  log: Logger;
  providers?: Providers;
  /** Status edits interval (tests shorten it). */
  statusIntervalMs?: number;
}

/** Wires config -> app -> bot core -> adapters, starts them and resumes unfinished threads. */
export async function startBot(config: Config, opts: BotOptions) {
  const progress = createProgressRouter(opts.statusIntervalMs);
  const app = createApp(config, { progress: progress.sink, providers: opts.providers });
  const adapters: Partial<Record<Platform, ChatAdapter>> = {};
  for (const a of opts.adapters) adapters[a.platform] = a;
  const pipeline = app.pipeline;
  const bot = createBot({
    adapters,
    threads: createThreadStore(app.db),
    deliveries: createDeliveryStore(app.db),
    pipeline,
    llm: app.providers.llm,
    review: config.review,
    progress,
    profile: config.profile,
    estimateCost: async (runId) => pipeline.estimateRenderCost(runId),
    spendUsd: (runId) => app.runs.spendUsd(runId),
    log: opts.log,
  });
  for (const a of opts.adapters) await a.start((e) => bot.handle(e));
  const resumed = bot.resumeAll();
  opts.log.info('adgen bot started', {
    platforms: opts.adapters.map((a) => a.platform),
    providers: app.providerSummary,
    resumedThreads: resumed,
  });
  return {
    app,
    bot,
    async stop() {
      for (const a of opts.adapters) await a.stop();
      app.close();
    },
  };
}
