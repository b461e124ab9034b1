import os from 'node:os';
import path from 'node:path';
import { type Bot, createBot } from './bot/core/bot.ts';
import type { Logger } from './bot/core/context.ts';
import type { ChatAdapter, Platform } from './bot/core/ports.ts';
import { createProgressRouter } from './bot/core/status.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import { openStores } from './db/open-stores.ts';
import { errorMessage } from './errors.ts';
import { createJobQueue } from './job-queue.ts';
import { type AdgenMetrics, createOps, instrumentStores } from './ops/index.ts';
import { routedDelivery } from './pipeline/delivery/file-export.ts';
import { DEFAULT_RETRY } from './pipeline/engine.ts';
import { createLeases } from './pipeline/lease.ts';
import { createLimiter } from './pipeline/limit.ts';
import type { FfmpegBins } from './pipeline/media/run.ts';
import type { ProgressSink } from './pipeline/progress.ts';
import { nullProgress } from './pipeline/progress.ts';
import type { Providers } from './pipeline/providers/ports.ts';
import { createSpendGuard } from './pipeline/spend.ts';
import { createWorkflow, type DeliveryPort } from './pipeline/workflow.ts';
import { selectProviders } from './select-providers.ts';

/**
 * The one composition root: config -> stores -> providers -> workflow (createApp), and the bot
 * process on top of it (startBot). Only this file and its two helpers wire implementations
 * together: select-providers.ts (which provider serves each port) and job-queue.ts (which queue).
 */
export function createApp(
  config: Config,
  opts: {
    progress?: ProgressSink;
    providers?: Providers;
    chatDelivery?: DeliveryPort;
    /** When given, the stores feed these series (renders in flight, step failures, spend). */
    metrics?: AdgenMetrics;
    /** The clock budgets are counted by (tests move it past midnight). */
    now?: () => number;
    onPreviewError?: (runId: string, err: unknown) => void;
    onBackgroundError?: (runId: string, err: unknown) => void;
  } = {},
) {
  // SQLite unless ADGEN_DATABASE_URL names a PostgreSQL database (src/db/open-stores.ts).
  const database = openStores(config);
  const stores = opts.metrics ? instrumentStores(database.stores, opts.metrics) : database.stores;
  const { runs } = stores;
  // One media limiter for the whole process: every run's ffmpeg work shares the machine's cores.
  const bins: FfmpegBins = { ...config.ffmpeg, limit: createLimiter(Math.max(2, os.availableParallelism())) };
  const selected = opts.providers
    ? { providers: opts.providers, summary: 'custom', warning: undefined }
    : selectProviders(config, bins);
  const leases = createLeases(stores.leases, {
    ttlMs: config.leaseTtlMs,
    renewMs: Math.round(config.leaseTtlMs / 3),
  });
  const spend = createSpendGuard(stores.spend, config.spend, opts.now);
  const workflow = createWorkflow({
    providers: selected.providers,
    runs,
    intents: stores.intents,
    leases,
    steps: stores.steps,
    bins,
    dataDir: config.dataDir,
    clipConcurrency: config.clipConcurrency,
    progress: opts.progress ?? nullProgress,
    spend,
    retry: { ...DEFAULT_RETRY, attempts: config.stepAttempts },
    decisions: stores.decisions,
    delivery: routedDelivery(opts.chatDelivery),
    onPreviewError: opts.onPreviewError,
    onBackgroundError: opts.onBackgroundError,
  });
  return {
    config,
    /** The SQLite handle; on PostgreSQL there is none and reading it throws (use `stores`). */
    get db(): Db {
      if (!database.sqlite) throw new Error('app.db is the SQLite handle; this app runs on PostgreSQL');
      return database.sqlite;
    },
    /** Which backend, its readiness check (ops /readyz) and its migration promise. */
    database,
    stores,
    runs,
    workflow,
    pipeline: workflow.pipeline,
    leases,
    spend,
    providers: selected.providers,
    providerSummary: selected.summary,
    /** Set when a configured model's output may not be used commercially (logged at start). */
    providerWarning: selected.warning,
    close: () => database.close(),
  };
}

export type App = ReturnType<typeof createApp>;

/** `bot` receives and works; a `gateway` only receives and publishes; a `worker` only works and posts. */
export type ProcessRole = 'bot' | 'gateway' | 'worker';

export interface BotOptions {
  adapters: ChatAdapter[];
  log: Logger;
  providers?: Providers;
  /** Status edits interval (tests shorten it). */
  statusIntervalMs?: number;
  /** How often old event keys are pruned (tests shorten it). */
  pruneEveryMs?: number;
  /** The clock budgets are counted by (tests move it past midnight). */
  now?: () => number;
  role?: ProcessRole;
}

/** The bot process: config -> app -> bot core -> adapters; starts them and resumes unfinished threads. */
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
  const ops = createOps();
  const app = createApp(config, {
    progress: progress.sink,
    providers: opts.providers,
    chatDelivery,
    metrics: ops.metrics,
    now: opts.now,
    onPreviewError: (runId, err) => opts.log.warn('free preview failed', { runId, error: errorMessage(err) }),
    onBackgroundError: (runId, err) =>
      opts.log.warn('cancelling a cancelled run’s predictions failed', { runId, error: errorMessage(err) }),
  });
  // PostgreSQL migrates in the background: a database that cannot be reached fails the start here.
  await app.database.ready;
  const adapters: Partial<Record<Platform, ChatAdapter>> = {};
  for (const a of opts.adapters) adapters[a.platform] = a;
  const role = opts.role ?? 'bot';
  const jobs = await createJobQueue(config, app.stores.leases, opts.log, ops.metrics);
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
      brands: { store: app.stores.brands, dir: path.join(config.dataDir, 'brands'), bins: config.ffmpeg },
      jobs,
      handBack: (runId) => app.leases.handBack(runId),
    },
    { pruneEveryMs: opts.pruneEveryMs },
  );
  const started = bot;
  // Ready = the database answers, and (gateway, bot) every chat connection is up or (worker,
  // bot) the queue answers (ADGEN_OPS_PORT, /readyz).
  const live = new Set<ChatAdapter>();
  ops.readiness.register('database', () => app.database.ping());
  if (role !== 'worker')
    ops.readiness.register('chat', () =>
      opts.adapters.every((a) => live.has(a) && (a.connected?.() ?? true)),
    );
  if (role !== 'gateway' && jobs.durable) ops.readiness.register('queue', () => jobs.metrics());
  ops.metrics.queueDepth.collectWith(async () =>
    Object.entries((await jobs.metrics()).depth).map(([queue, value]) => ({ labels: { queue }, value })),
  );
  const opsServer = await ops.listen(config.opsPort);
  if (role !== 'gateway') await jobs.work(started.jobHandlers);
  // A worker only sends (Web API / REST with the bot token): its adapters never connect.
  if (role !== 'worker')
    for (const a of opts.adapters) {
      await a.start((e) => started.handle(e));
      live.add(a);
    }
  const resumed = await started.resumeAll();
  if (app.providerWarning) opts.log.warn(app.providerWarning);
  opts.log.info(`adgen ${role} started`, {
    queue: jobs.durable ? 'postgresql' : 'in-process',
    platforms: opts.adapters.map((a) => a.platform),
    providers: app.providerSummary,
    resumedThreads: resumed,
    ...(opsServer ? { opsPort: opsServer.port } : {}),
  });
  return {
    app,
    bot: started,
    jobs,
    ops,
    opsServer,
    async stop() {
      started.stop();
      if (role !== 'worker')
        for (const a of opts.adapters) {
          live.delete(a);
          await a.stop();
        }
      // A gateway has nothing running; a worker finishes or hands back within the grace period.
      await jobs.stop(role === 'gateway' ? 0 : config.queue.shutdownGraceMs);
      await opsServer?.close();
      await app.close();
    },
  };
}
