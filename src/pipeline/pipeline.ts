import { AppError, CancelledError, errorMessage } from '../errors.ts';
import { DEFAULT_RETRY, type RetryPolicy, RunContext, rootCause, type StepStore } from './engine.ts';
import type { PipelineEnv, RunScope } from './env.ts';
import { wentBackToFinished } from './finished-state.ts';
import type { Leases } from './lease.ts';
import { type RunInput, RunInputSchema } from './run-input.ts';
import { BudgetExceededError } from './spend.ts';
import { describeStep, failedStep } from './step-names.ts';
import { type CostEstimate, estimateRenderCost } from './steps/estimate.ts';
import { type MoodBoard, moodBoards } from './steps/moods.ts';
import { type RenderResult, render } from './steps/render.ts';
import { type StoryboardScene, storyboard } from './steps/storyboard.ts';
import type { RunRow } from './stores.ts';
import { viewSteps } from './view-steps.ts';

export interface PipelineDeps extends PipelineEnv {
  steps: StepStore;
  leases: Leases;
  retry?: RetryPolicy;
}

/**
 * The work of each phase, durably: each call works on one run and is safe to repeat (finished
 * steps are read back from SQLite, so "resume" is calling the same thing again). Only the
 * workflow (workflow.ts) decides which phase to work on; nothing here changes a run's state.
 */
export function createPipeline(deps: PipelineDeps) {
  const controllers = new Map<string, AbortController>();
  /** What one view or estimate of a run reads its steps through (view-steps.ts). */
  const viewStore = (runId: string) => viewSteps(deps.steps, runId);

  async function load(runId: string): Promise<RunRow<RunInput>> {
    const row = await deps.runs.get(runId);
    if (!row) throw new AppError('run_not_found', `no run with id ${runId}`);
    return { ...row, input: RunInputSchema.parse(row.input) };
  }

  /** People read the cause and where it happened, not our step ids; the code picks the way out. */
  function failure(err: unknown): { error: string; errorCode: string } {
    const cause = rootCause(err);
    // A budget pause already names the step it stopped before ("Paused before scene 4's clip").
    const step = cause instanceof BudgetExceededError ? undefined : failedStep(err);
    return {
      error: `${step ? `${describeStep(step)}: ` : ''}${errorMessage(cause)}`,
      errorCode: cause instanceof AppError ? cause.code : 'internal',
    };
  }

  async function withRun<T>(
    runId: string,
    busy: 'running' | 'waiting',
    work: (s: RunScope) => Promise<T>,
    stop?: AbortSignal,
  ) {
    if ((await load(runId)).status === 'cancelled') throw new CancelledError(`run ${runId} was cancelled`);
    const controller = controllers.get(runId) ?? new AbortController();
    controllers.set(runId, controller);
    try {
      // Held by another process: wait quietly for it (the CLI takes the lease first to refuse).
      return await deps.leases.withLease(
        runId,
        async (lost) => {
          const row = await load(runId); // read again: the previous holder may have moved the run on
          if (row.status === 'cancelled') throw new CancelledError(`run ${runId} was cancelled`);
          const signal = AbortSignal.any([controller.signal, lost, ...(stop ? [stop] : [])]);
          const rc = new RunContext(runId, deps.steps, signal, deps.retry ?? DEFAULT_RETRY);
          await deps.runs.setStatus(runId, 'running', { error: null, errorCode: null });
          // A cancel of work started from the finished ad took the run back to it (decisions.ts);
          // other work cannot go back, so the run is read again only for that work.
          const wentBack = async () =>
            row.input.finished !== null && wentBackToFinished(row.input, (await load(runId)).input);
          try {
            const result = await work({ env: deps, rc, input: row.input });
            await deps.runs.setStatus(runId, (await wentBack()) ? 'succeeded' : busy);
            return result;
          } catch (err) {
            if (lost.aborted) throw err; // the run is another process's now: leave its row alone
            const cancelled = err instanceof CancelledError || controller.signal.aborted;
            if (cancelled && (await wentBack())) await deps.runs.setStatus(runId, 'succeeded');
            else if (cancelled)
              await deps.runs.setStatus(runId, 'cancelled', { error: 'cancelled by a user' });
            else await deps.runs.setStatus(runId, 'failed', failure(err));
            throw cancelled && !(err instanceof CancelledError) ? new CancelledError() : err;
          }
        },
        { wait: true, signal: controller.signal },
      );
    } finally {
      controllers.delete(runId);
    }
  }

  return {
    async createRun(id: string, input: RunInput, title = input.brief.product): Promise<string> {
      await deps.runs.create({ id, title: title.slice(0, 120), input: RunInputSchema.parse(input) });
      return id;
    },
    get: load,
    moodBoards: (runId: string): Promise<MoodBoard[]> => withRun(runId, 'waiting', moodBoards),
    storyboard: (runId: string): Promise<StoryboardScene[]> => withRun(runId, 'waiting', storyboard),
    render: (runId: string): Promise<RenderResult> => withRun(runId, 'running', render),
    /**
     * Any other durable work on a run (the workflow's render and delivery steps). `stop` aborts
     * the work's steps like a cancel, without cancelling the run: `fn` must catch it (a preview).
     */
    work: <T>(
      runId: string,
      busy: 'running' | 'waiting',
      fn: (s: RunScope) => Promise<T>,
      stop?: AbortSignal,
    ) => withRun(runId, busy, fn, stop),
    /** What rendering the current storyboard will still cost; runs nothing and pays nothing. */
    async estimateRenderCost(runId: string, change?: (i: RunInput) => RunInput): Promise<CostEstimate> {
      const row = await load(runId);
      const rc = new RunContext(runId, viewStore(runId), new AbortController().signal);
      // `change`: what a proposed decision would render (a new take), priced before anyone pays.
      return estimateRenderCost({ env: deps, rc, input: change ? change(row.input) : row.input });
    },
    /** Aborts the in-flight work of a run (its cancelled status is stored by the decision). */
    abort(runId: string): void {
      controllers.get(runId)?.abort();
    },
    isActive: (runId: string) => controllers.has(runId),
    viewStore,
  };
}

export type Pipeline = ReturnType<typeof createPipeline>;
