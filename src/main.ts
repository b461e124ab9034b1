import type { Config } from './config.ts';
import { openDb } from './db/client.ts';
import { createRunStore } from './db/run-store.ts';
import { createStepStore } from './db/step-store.ts';
import { DEFAULT_RETRY } from './pipeline/engine.ts';
import { createPipeline } from './pipeline/pipeline.ts';
import type { ProgressSink } from './pipeline/progress.ts';
import { nullProgress } from './pipeline/progress.ts';
import { createOfflineProviders } from './pipeline/providers/offline/index.ts';
import type { Providers } from './pipeline/providers/ports.ts';

/** Which providers this configuration gets; offline whenever keys are missing. */
export function selectProviders(config: Config): { providers: Providers; summary: string } {
  const latency = config.offlineLatencyMs;
  const offline = createOfflineProviders({
    bins: config.ffmpeg,
    delayMs: { image: latency, video: latency, music: latency },
  });
  return { providers: offline, summary: 'offline (no API keys needed)' };
}

/** Composition root: config -> db -> providers -> pipeline. Only this file wires implementations. */
export function createApp(config: Config, opts: { progress?: ProgressSink; providers?: Providers } = {}) {
  const db = openDb(config.dbPath);
  const runs = createRunStore(db);
  const selected = opts.providers ? { providers: opts.providers, summary: 'custom' } : selectProviders(config);
  const pipeline = createPipeline({
    providers: selected.providers,
    runs,
    steps: createStepStore(db),
    bins: config.ffmpeg,
    dataDir: config.dataDir,
    clipConcurrency: config.clipConcurrency,
    progress: opts.progress ?? nullProgress,
    retry: { ...DEFAULT_RETRY, attempts: config.stepAttempts },
  });
  return {
    config,
    db,
    runs,
    pipeline,
    providers: selected.providers,
    providerSummary: selected.summary,
    close: () => db.$client.close(),
  };
}

export type App = ReturnType<typeof createApp>;
