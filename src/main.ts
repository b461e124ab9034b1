import os from 'node:os';
import path from 'node:path';
import { type Bot, createBot } from './bot/core/bot.ts';
import type { Logger } from './bot/core/context.ts';
import type { ChatAdapter, Platform } from './bot/core/ports.ts';
import { createProgressRouter } from './bot/core/status.ts';
import type { Config } from './config.ts';
import { musicLicenceWarning } from './config-providers.ts';
import type { Db } from './db/client.ts';
import { openStores } from './db/open-stores.ts';
import { createPgJobQueue } from './db/pg-queue/boss.ts';
import { errorMessage } from './errors.ts';
import { type AdgenMetrics, createOps, instrumentStores } from './ops/index.ts';
import { routedDelivery } from './pipeline/delivery/file-export.ts';
import { DEFAULT_RETRY } from './pipeline/engine.ts';
import { createInProcessQueue } from './pipeline/jobs/in-process.ts';
import type { JobQueue } from './pipeline/jobs/ports.ts';
import { createLeases, type LeaseStore, processOwnerId } from './pipeline/lease.ts';
import { createLimiter } from './pipeline/limit.ts';
import type { FfmpegBins } from './pipeline/media/run.ts';
import type { ProgressSink } from './pipeline/progress.ts';
import { nullProgress } from './pipeline/progress.ts';
import { createOfflineProviders } from './pipeline/providers/offline/index.ts';
import { createOpenAiLlm } from './pipeline/providers/openai/llm.ts';
import { createOpenAiTts } from './pipeline/providers/openai/tts.ts';
import type { Providers, Tts } from './pipeline/providers/ports.ts';
import {
  createPredictionLimiter,
  createReplicateProviders,
  predictionLimits,
} from './pipeline/providers/replicate/index.ts';
import { createSpendGuard } from './pipeline/spend.ts';
import { createWorkflow, type DeliveryPort } from './pipeline/workflow.ts';

const shortModel = (model: string) => model.split(':')[0]!.split('/').pop()!;

/** The voice-over port, when one is chosen (config.ports.tts). */
function ttsFor(
  config: Config,
  choice: Config['ports']['tts'],
  replicateTts: Tts | undefined,
): { tts?: Tts } {
  if (choice === 'openai' && config.openai) return { tts: createOpenAiTts(config.openai) };
  if (choice === 'replicate' && replicateTts) return { tts: replicateTts };
  return {};
}

/**
 * Which providers this configuration gets, port by port (config.ports): OpenAI or offline
 * planning; Replicate or offline images, clips and music, each on its own.
 */
export function selectProviders(
  config: Config,
  bins: FfmpegBins = config.ffmpeg,
): { providers: Providers; summary: string; warning?: string } {
  const latency = config.offlineLatencyMs;
  const offline = createOfflineProviders({
    bins,
    delayMs: { image: latency, video: latency, music: latency },
  });
  const { ports } = config;
  const r = config.replicate;
  const wantsReplicate = [ports.image, ports.video, ports.music, ports.tts].includes('replicate');
  // Created here, once per app, not as a module singleton: every Replicate port of this process
  // shares the account's in-flight cap and create rate.
  const replicate =
    r && wantsReplicate
      ? createReplicateProviders(r, config.media, createPredictionLimiter(predictionLimits(r)))
      : null;
  const providers: Providers = {
    llm: ports.llm === 'openai' && config.openai ? createOpenAiLlm(config.openai) : offline.llm,
    image: ports.image === 'replicate' && replicate ? replicate.image : offline.image,
    video: ports.video === 'replicate' && replicate ? replicate.video : offline.video,
    music: ports.music === 'replicate' && replicate ? replicate.music : offline.music,
    ...ttsFor(config, ports.tts, replicate?.tts),
  };
  const models = { image: r?.imageModel, video: r?.videoModel, music: r?.musicModel };
  const media = (['image', 'video', 'music'] as const).map((k) =>
    ports[k] === 'replicate' && models[k] ? `${k}: Replicate ${shortModel(models[k])}` : `${k}: offline`,
  );
  const planning =
    ports.llm === 'openai' && config.openai ? `planning: OpenAI ${config.openai.model}` : 'planning: offline';
  const all = [planning, ...media];
  if (providers.tts)
    all.push(
      `voice: ${ports.tts === 'openai' ? 'OpenAI' : 'Replicate'} ${shortModel(providers.tts.model)} (${providers.tts.defaultVoice})`,
    );
  const warning = ports.music === 'replicate' && r ? musicLicenceWarning(r.musicModel) : undefined;
  if (warning) all.push(`warning: ${warning}`);
  const summary = all.every((x) => x.endsWith('offline')) ? 'offline (no API keys needed)' : all.join(' · ');
  return { providers, summary, warning };
}

/**
 * The one composition root: config -> stores -> providers -> workflow (createApp), and the bot
 * process on top of it (startBot). Only this file wires implementations together.
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

/**
 * The job queue: pg-boss on ADGEN_DATABASE_URL (gateways and workers in many processes), else the
 * in-process one. The reaper's liveness test is the run lease: a probe takes a free or expired
 * lease for one millisecond and gives it straight back.
 */
export async function createJobQueue(
  config: Config,
  leases: LeaseStore,
  log: Logger,
  metrics?: AdgenMetrics,
): Promise<JobQueue> {
  const q = config.queue;
  const onPickup = (queue: string, ms: number) => metrics?.jobLatency.observe({ queue }, ms / 1000);
  if (!config.databaseUrl) return createInProcessQueue({ renderConcurrency: q.workerConcurrency, onPickup });
  const probe = `reaper:${processOwnerId()}`;
  return createPgJobQueue({
    url: config.databaseUrl,
    renderConcurrency: q.workerConcurrency,
    leaseTtlMs: config.leaseTtlMs,
    async leaseFree(runId) {
      if (await leases.acquire(runId, probe, 1, Date.now())) return false;
      await leases.release(runId, probe);
      return true;
    },
    onError: (err) =>
      log.warn('job queue error', { error: err instanceof Error ? err.message : String(err) }),
  });
}

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
