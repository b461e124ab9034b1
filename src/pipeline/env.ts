import path from 'node:path';
import type { RunContext } from './engine.ts';
import type { IntentStore } from './intent-store.ts';
import type { FfmpegBins } from './media/run.ts';
import type { ProgressSink } from './progress.ts';
import type { Providers } from './providers/ports.ts';
import type { RunInput } from './run-input.ts';
import type { SpendGuard } from './spend.ts';
import type { RunStore } from './stores.ts';

/** What every workflow step gets: injected by the composition root, never module state. */
export interface PipelineEnv {
  providers: Providers;
  runs: RunStore;
  intents: IntentStore;
  bins: FfmpegBins;
  dataDir: string;
  clipConcurrency: number;
  progress: ProgressSink;
  /** Budgets and active-run limits checked before every paid create (unset: no limits). */
  spend?: SpendGuard;
}

/** One run being worked on: its durable context plus its (parsed) input. */
export interface RunScope {
  env: PipelineEnv;
  rc: RunContext;
  input: RunInput;
}

export const runDir = (env: PipelineEnv, runId: string) => path.join(env.dataDir, 'runs', runId);
