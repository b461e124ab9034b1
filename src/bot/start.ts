import type { Config } from '../config.ts';
import { createApp } from '../main.ts';
import type { Providers } from '../pipeline/providers/ports.ts';
import type { DeliveryPort } from '../pipeline/workflow.ts';
import { type Bot, createBot } from './core/bot.ts';
import type { Logger } from './core/context.ts';
import type { ChatAdapter, Platform } from './core/ports.ts';
import { createProgressRouter } from './core/status.ts';

export interface BotOptions {
  adapters: ChatAdapter[];
  log: Logger;
  providers?: Providers;
  /** Status edits interval (tests shorten it). */
  statusIntervalMs?: number;
  /** How often old event keys are pruned (tests shorten it). */
  pruneEveryMs?: number;
}

/** Wires config -> app -> bot core -> adapters, starts them and resumes unfinished threads. */
export async function startBot(config: Config, opts: BotOptions) {
  const progress = createProgressRouter(opts.statusIntervalMs);
  // The workflow's delivery posts through the bot, which needs the workflow: bound once both exist.
  let bot: Bot | undefined;
  const chatDelivery: DeliveryPort = {
    deliver: (view, video, signal) => {
      if (!bot) throw new Error('the bot is not started yet');
      return bot.delivery.deliver(view, video, signal);
    },
  };
  const app = createApp(config, { progress: progress.sink, providers: opts.providers, chatDelivery });
  const adapters: Partial<Record<Platform, ChatAdapter>> = {};
  for (const a of opts.adapters) adapters[a.platform] = a;
  bot = createBot(
    {
      adapters,
      threads: app.stores.threads,
      workflow: app.workflow,
      deliveries: app.stores.deliveries,
      llm: app.providers.llm,
      review: config.review,
      progress,
      profile: config.profile,
      log: opts.log,
    },
    { pruneEveryMs: opts.pruneEveryMs },
  );
  const started = bot;
  for (const a of opts.adapters) await a.start((e) => started.handle(e));
  const resumed = await started.resumeAll();
  opts.log.info('adgen bot started', {
    platforms: opts.adapters.map((a) => a.platform),
    providers: app.providerSummary,
    resumedThreads: resumed,
  });
  return {
    app,
    bot: started,
    async stop() {
      started.stop();
      for (const a of opts.adapters) await a.stop();
      app.close();
    },
  };
}
