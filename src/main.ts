import os from 'node:os';
import type { Config } from './config.ts';
import { openDb } from './db/client.ts';
import { createSqliteStores } from './db/sqlite-stores.ts';
import { routedDelivery } from './pipeline/delivery/file-export.ts';
import { DEFAULT_RETRY } from './pipeline/engine.ts';
import { createLeases } from './pipeline/lease.ts';
import { createLimiter } from './pipeline/limit.ts';
import type { FfmpegBins } from './pipeline/media/run.ts';
import type { ProgressSink } from './pipeline/progress.ts';
import { nullProgress } from './pipeline/progress.ts';
import { createOfflineProviders } from './pipeline/providers/offline/index.ts';
import { createOpenAiLlm } from './pipeline/providers/openai/llm.ts';
import type { Providers } from './pipeline/providers/ports.ts';
import { createReplicateProviders } from './pipeline/providers/replicate/index.ts';
import { createWorkflow, type DeliveryPort } from './pipeline/workflow.ts';

const shortModel = (model: string) => model.split(':')[0]!.split('/').pop()!;

/**
 * Which providers this configuration gets: OpenAI for planning when OPENAI_API_KEY is set,
 * Replicate for media when REPLICATE_API_TOKEN is set, each on its own; offline otherwise.
 */
export function selectProviders(
  config: Config,
  bins: FfmpegBins = config.ffmpeg,
): { providers: Providers; summary: string } {
  const latency = config.offlineLatencyMs;
  const offline = createOfflineProviders({
    bins,
    delayMs: { image: latency, video: latency, music: latency },
  });
  const llm = config.openai ? createOpenAiLlm(config.openai) : offline.llm;
  const media = config.replicate ? createReplicateProviders(config.replicate, config.media) : offline;
  if (!config.openai && !config.replicate)
    return { providers: offline, summary: 'offline (no API keys needed)' };
  const r = config.replicate;
  const summary = [
    config.openai ? `planning: OpenAI ${config.openai.model}` : 'planning: offline',
    r
      ? `media: Replicate (${[r.imageModel, r.videoModel, r.musicModel].map(shortModel).join(', ')})`
      : 'media: offline',
  ].join(' · ');
  return { providers: { llm, image: media.image, video: media.video, music: media.music }, summary };
}

/** Composition root: config -> db -> providers -> pipeline. Only this file wires implementations. */
export function createApp(
  config: Config,
  opts: { progress?: ProgressSink; providers?: Providers; chatDelivery?: DeliveryPort } = {},
) {
  const db = openDb(config.dbPath);
  const stores = createSqliteStores(db);
  const { runs } = stores;
  // One media limiter for the whole process: every run's ffmpeg work shares the machine's cores.
  const bins: FfmpegBins = { ...config.ffmpeg, limit: createLimiter(Math.max(2, os.availableParallelism())) };
  const selected = opts.providers
    ? { providers: opts.providers, summary: 'custom' }
    : selectProviders(config, bins);
  const leases = createLeases(stores.leases, {
    ttlMs: config.leaseTtlMs,
    renewMs: Math.round(config.leaseTtlMs / 3),
  });
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
    retry: { ...DEFAULT_RETRY, attempts: config.stepAttempts },
    decisions: stores.decisions,
    delivery: routedDelivery(opts.chatDelivery),
  });
  return {
    config,
    db,
    stores,
    runs,
    workflow,
    pipeline: workflow.pipeline,
    leases,
    providers: selected.providers,
    providerSummary: selected.summary,
    close: () => db.$client.close(),
  };
}

export type App = ReturnType<typeof createApp>;
