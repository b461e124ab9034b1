import { AppError, CancelledError, errorMessage } from '../errors.ts';
import { DEFAULT_RETRY, type RetryPolicy, RunContext, type StepStore } from './engine.ts';
import type { PipelineEnv, RunScope } from './env.ts';
import type { Leases } from './lease.ts';
import { type RunInput, RunInputSchema } from './run-input.ts';
import { type CostEstimate, estimateRenderCost, readOnlySteps } from './steps/estimate.ts';
import { type MoodBoard, moodBoards } from './steps/moods.ts';
import { type RenderResult, render } from './steps/render.ts';
import { type StoryboardScene, storyboard } from './steps/storyboard.ts';
import type { RunRow } from './stores.ts';

export interface PipelineDeps extends PipelineEnv {
  steps: StepStore;
  leases: Leases;
  retry?: RetryPolicy;
}

/**
 * The workflow's public face: each call works on one run, durably. Calls are safe to repeat:
 * finished steps are read back from SQLite, so "resume" is just calling the same thing again.
 */
export function createPipeline(deps: PipelineDeps) {
  const controllers = new Map<string, AbortController>();

  function load(runId: string): RunRow<RunInput> {
    const row = deps.runs.get<RunInput>(runId);
    if (!row) throw new AppError('run_not_found', `no run with id ${runId}`);
    return { ...row, input: RunInputSchema.parse(row.input) };
  }

  async function withRun<T>(runId: string, busy: 'running' | 'waiting', work: (s: RunScope) => Promise<T>) {
    if (load(runId).status === 'cancelled') throw new CancelledError(`run ${runId} was cancelled`);
    const controller = controllers.get(runId) ?? new AbortController();
    controllers.set(runId, controller);
    try {
      // Held by another process: wait quietly for it (the CLI takes the lease first to refuse).
      return await deps.leases.withLease(
        runId,
        async (lost) => {
          const row = load(runId); // read again: the previous holder may have moved the run on
          if (row.status === 'cancelled') throw new CancelledError(`run ${runId} was cancelled`);
          const signal = AbortSignal.any([controller.signal, lost]);
          const rc = new RunContext(runId, deps.steps, signal, deps.retry ?? DEFAULT_RETRY);
          deps.runs.setStatus(runId, 'running', { error: null });
          try {
            const result = await work({ env: deps, rc, input: row.input });
            deps.runs.setStatus(runId, busy);
            return result;
          } catch (err) {
            if (lost.aborted) throw err; // the run is another process's now: leave its row alone
            const cancelled = err instanceof CancelledError || controller.signal.aborted;
            deps.runs.setStatus(runId, cancelled ? 'cancelled' : 'failed', { error: errorMessage(err) });
            throw cancelled && !(err instanceof CancelledError) ? new CancelledError() : err;
          }
        },
        { wait: true, signal: controller.signal },
      );
    } finally {
      controllers.delete(runId);
    }
  }

  function update(runId: string, change: (i: RunInput) => RunInput): RunInput {
    const input = RunInputSchema.parse(change(load(runId).input));
    deps.runs.setInput(runId, input);
    return input;
  }

  return {
    createRun(id: string, input: RunInput, title = input.brief.product): string {
      deps.runs.create({ id, title: title.slice(0, 120), input: RunInputSchema.parse(input) });
      return id;
    },
    get: load,
    moodBoards: (runId: string): Promise<MoodBoard[]> => withRun(runId, 'waiting', moodBoards),
    storyboard: (runId: string): Promise<StoryboardScene[]> => withRun(runId, 'waiting', storyboard),
    async render(runId: string): Promise<RenderResult> {
      const result = await withRun(runId, 'running', render);
      deps.runs.setStatus(runId, 'succeeded', { outputPath: result.path });
      return result;
    },
    /** What rendering the current storyboard will still cost; runs nothing and pays nothing. */
    estimateRenderCost(runId: string): Promise<CostEstimate> {
      const row = load(runId);
      const rc = new RunContext(runId, readOnlySteps(deps.steps), new AbortController().signal);
      return estimateRenderCost({ env: deps, rc, input: row.input });
    },
    chooseMood: (runId: string, index: number) => update(runId, (i) => ({ ...i, moodChoice: index })),
    /** Renders at another profile from now on (clips are shared between final and draft). */
    setProfile: (runId: string, profile: RunInput['profile']) => update(runId, (i) => ({ ...i, profile })),
    regenerateMoods: (runId: string) =>
      update(runId, (i) => ({
        ...i,
        moodsRev: i.moodsRev + 1,
        moodChoice: null,
        storyboardRev: 0,
        sceneRevs: {},
      })),
    regenerateStoryboard: (runId: string) =>
      update(runId, (i) => ({ ...i, storyboardRev: i.storyboardRev + 1, sceneRevs: {} })),
    regenerateScene: (runId: string, index: number) =>
      update(runId, (i) => ({
        ...i,
        sceneRevs: { ...i.sceneRevs, [String(index)]: (i.sceneRevs[String(index)] ?? 0) + 1 },
      })),
    /** Stops a run: in-flight steps see the abort at once; the status sticks across restarts. */
    cancel(runId: string): void {
      load(runId);
      controllers.get(runId)?.abort();
      deps.runs.setStatus(runId, 'cancelled', { error: 'cancelled by a user' });
    },
    isActive: (runId: string) => controllers.has(runId),
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
