import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import type { ProgressSink } from '../../src/pipeline/progress.ts';
import type { Providers } from '../../src/pipeline/providers/ports.ts';
import { type RunInput, RunInputSchema } from '../../src/pipeline/run-input.ts';

/** A whole app (db, pipeline, offline providers) in a temp folder at the tiny profile. */
export function tempApp(env: Record<string, string> = {}, providers?: Providers, progress?: ProgressSink) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-app-'));
  const config = loadConfig({
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    ADGEN_FORCE_OFFLINE: 'true',
    ...env,
  });
  const app = createApp(config, { providers, progress });
  return {
    ...app,
    dir,
    cleanup() {
      app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** (step id -> executions) for every step of a run. */
export function executions(
  db: { $client: { prepare(sql: string): { all(...a: unknown[]): unknown[] } } },
  runId: string,
) {
  const rows = db.$client
    .prepare('select step_id as stepId, executions, status from steps where run_id = ?')
    .all(runId) as { stepId: string; executions: number; status: string }[];
  return new Map(rows.map((r) => [r.stepId, r]));
}

type AppLike = {
  runs: { setInput(id: string, input: unknown): Promise<void> };
  pipeline: { get(id: string): Promise<{ input: RunInput }> };
};

/**
 * Changes a run's state directly, for tests of the step memoisation below the workflow (which
 * is where people's decisions go through `workflow.decide`).
 */
export async function mutateInput(
  t: AppLike,
  runId: string,
  change: (i: RunInput) => RunInput,
): Promise<void> {
  await t.runs.setInput(runId, RunInputSchema.parse(change((await t.pipeline.get(runId)).input)));
}
export const chooseMood = (t: AppLike, runId: string, index: number) =>
  mutateInput(t, runId, (i) => ({ ...i, moodChoice: index }));
export const regenerateScene = (t: AppLike, runId: string, index: number) =>
  mutateInput(t, runId, (i) => ({
    ...i,
    sceneRevs: { ...i.sceneRevs, [String(index)]: (i.sceneRevs[String(index)] ?? 0) + 1 },
  }));
