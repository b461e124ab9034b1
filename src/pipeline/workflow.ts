import { AppError } from '../errors.ts';
import { sweepCancelledPredictions } from './cancel-sweep.ts';
import { type Decision, type DecisionStore, judge, type Refusal } from './decisions.ts';
import { DEFAULT_RETRY, RunContext } from './engine.ts';
import { phaseWork } from './phase-work.ts';
import { createPipeline, type PipelineDeps } from './pipeline.ts';
import { previewStops } from './preview-stop.ts';
import type { RunInput } from './run-input.ts';
import type { CostEstimate } from './steps/estimate.ts';
import { type PreviewResult, preview, previewKey } from './steps/preview.ts';
import type { RenderResult } from './steps/render.ts';
import { type RunView, viewRun } from './view.ts';

/**
 * Delivery is an external effect the workflow orders but a driver performs (the bot uploads into
 * the thread, the CLI copies to a file). It must be safe to call again after a crash: the bot's
 * implementation stores an intent with a nonce and looks for it in the thread before uploading.
 */
export interface DeliveryPort {
  deliver(view: RunView, video: RenderResult, signal: AbortSignal): Promise<{ messageId: string | null }>;
}

export interface WorkflowDeps extends PipelineDeps {
  decisions: DecisionStore;
  delivery: DeliveryPort;
  /** Told when a free preview could not be made (logged by the root; the ad goes on without it). */
  onPreviewError?: (runId: string, err: unknown) => void;
  /** Told when background upkeep failed (cancelling a cancelled run's predictions; logged). */
  onBackgroundError?: (runId: string, err: unknown) => void;
}

export type DecideResult =
  | {
      ok: true;
      view: RunView;
      approvals?: { count: number; needed: number; reached: boolean };
      /** For edits: the one line saying what changes. */
      summary?: string;
    }
  | { ok: false; refusal: Refusal; message: string; view: RunView };

/**
 * The one owner of an ad's lifecycle (ARCHITECTURE.md "The lifecycle and its effects"): moods ->
 * decision(mood) -> storyboard -> decision(approve | regenerate | cancel) -> render -> deliver.
 * Drivers (the bot, the CLI) deliver decisions and render views; they never order phases.
 * `advance` does whatever the derived phase needs until people must decide, so a restart, a
 * retry and a second driver call are all the same call.
 */
export function createWorkflow(deps: WorkflowDeps) {
  const pipeline = createPipeline(deps);
  const running = new Map<string, { promise: Promise<RunView>; again: boolean }>();

  async function view(runId: string): Promise<RunView> {
    const row = await pipeline.get(runId);
    const rc = new RunContext(runId, pipeline.viewStore(runId), new AbortController().signal, DEFAULT_RETRY);
    return viewRun(rc, row);
  }

  const workOn = phaseWork(deps, pipeline);
  const previews = previewStops(pipeline.get);

  /**
   * The free preview of the storyboard on show. It is never worth failing the ad for: an error
   * is kept to the preview (the storyboard can still be approved), and each key is tried once
   * per advance so a broken preview cannot spin.
   */
  async function makePreview(runId: string, key: string): Promise<void> {
    await previews.watch(runId, key, (stop) => {
      // Stopped because nobody will look at it (preview-stop.ts): not an error.
      const failed = (err: unknown) => stop.aborted || deps.onPreviewError?.(runId, err);
      return pipeline.work(runId, 'waiting', (s) => preview(s).catch(failed), stop).catch(failed);
    });
  }

  /**
   * One phase of work (nothing when people must decide); `stop` when the driver should not go on.
   * A worker process runs one phase per queue job (issue 11), the embedded bot loops. With no
   * work due, the free preview of the storyboard on show is made (each key once per `tried`).
   */
  async function once(
    runId: string,
    tried: Set<string> = new Set(),
  ): Promise<{ view: RunView; stop: boolean }> {
    const v = await view(runId);
    if (!v.working) {
      const key = previewKey(v.input);
      if (!v.previewDue || tried.has(key)) return { view: v, stop: true };
      tried.add(key);
      await makePreview(runId, key);
      return { view: await view(runId), stop: false };
    }
    try {
      await workOn(v);
    } catch {
      // The run row now says failed or cancelled; the view carries the reason to the driver.
      return { view: await view(runId), stop: true };
    }
    const next = await view(runId);
    if (
      next.working &&
      next.workPhase === v.workPhase &&
      JSON.stringify(next.input) === JSON.stringify(v.input)
    ) {
      // The work returned but its results are not where the view looks: a bug, not a retry.
      await deps.runs.setStatus(runId, 'failed', {
        error: `the ${v.workPhase} step finished without its results`,
      });
      return { view: await view(runId), stop: true };
    }
    return { view: next, stop: false };
  }

  async function loop(runId: string, onView?: (v: RunView) => Promise<void> | void): Promise<RunView> {
    const previewsTried = new Set<string>();
    for (;;) {
      const { view: next, stop } = await once(runId, previewsTried);
      if (stop) return next;
      await onView?.(next);
    }
  }

  return {
    pipeline,
    view,
    createRun: (id: string, input: RunInput, title?: string) => pipeline.createRun(id, input, title),
    /**
     * Does the work the ad needs now. Calls for a run already advancing in this process join it
     * (and make it look again when it ends), so a click during work never starts a second copy.
     */
    advance(runId: string, onView?: (v: RunView) => Promise<void> | void): Promise<RunView> {
      const current = running.get(runId);
      if (current) {
        current.again = true;
        return current.promise;
      }
      const entry: { promise: Promise<RunView>; again: boolean } = { promise: view(runId), again: false };
      entry.promise = (async () => {
        try {
          let v = await loop(runId, onView);
          while (entry.again) {
            entry.again = false;
            v = await loop(runId, onView);
          }
          return v;
        } finally {
          running.delete(runId);
        }
      })();
      running.set(runId, entry);
      return entry.promise;
    },
    isAdvancing: (runId: string) => running.has(runId),
    /** One phase of work, then the view after it (what a worker's run job does). */
    advanceOnce: async (runId: string): Promise<RunView> => (await once(runId)).view,
    /** The free preview, if the storyboard on show still waits for one; nothing else. */
    async previewIfDue(runId: string): Promise<RunView> {
      const v = await view(runId);
      if (v.working || !v.previewDue) return v;
      await makePreview(runId, previewKey(v.input));
      return view(runId);
    },
    /**
     * Judges and stores a decision before anyone is told about it; what the driver says is a
     * consequence of the stored result. A concurrent change makes it judge again on fresh state.
     */
    async decide(
      runId: string,
      actor: string,
      d: Decision,
      opts: { reviewers?: readonly string[] } = {},
    ): Promise<DecideResult> {
      for (let tries = 0; tries < 5; tries++) {
        const v = await view(runId);
        const verdict = judge(v, d, actor, opts.reviewers);
        if (!verdict.ok) return { ...verdict, view: v };
        if (!(await deps.decisions.record(runId, actor, d, v.input, verdict.next, verdict.status))) continue;
        previews.decided(runId, verdict.next, verdict.status ?? 'unchanged');
        // A cancel stops the work under way (also when it goes back to the finished ad), and
        // whatever the run still has running at the provider is cancelled there.
        if (d.kind === 'cancel') {
          pipeline.abort(runId);
          sweepCancelledPredictions({ ...deps, isActive: pipeline.isActive }, runId).catch((err: unknown) =>
            deps.onBackgroundError?.(runId, err),
          );
        }
        return { ok: true, view: await view(runId), approvals: verdict.approvals, summary: verdict.summary };
      }
      throw new AppError('decision_conflict', 'the ad kept changing while deciding; try again');
    },
    /** Who cancelled the run (the latest cancel decision), so every status line can say it. */
    async cancelledBy(runId: string): Promise<string | null> {
      const all = await deps.decisions.list(runId);
      return all.filter((r) => r.kind === 'cancel').at(-1)?.actor ?? null;
    },
    estimate: (runId: string): Promise<CostEstimate> => pipeline.estimateRenderCost(runId),
    /** The speech provider's voices and its configured one; null when there is no provider. */
    voiceChoices: (): { voices: readonly string[]; defaultVoice: string } | null =>
      deps.providers.tts
        ? { voices: deps.providers.tts.voices, defaultVoice: deps.providers.tts.defaultVoice }
        : null,
    /** What a new take (same storyboard, new clip seeds) would cost: shown before it is confirmed. */
    estimateNewTake: (runId: string): Promise<CostEstimate> =>
      pipeline.estimateRenderCost(runId, (i) => ({ ...i, takeRev: i.takeRev + 1 })),
    /** Makes (or reads back) the free preview of the storyboard on show; `adgen render --preview-only`. */
    preview: (runId: string): Promise<PreviewResult> => pipeline.work(runId, 'waiting', preview),
    spendUsd: (runId: string) => deps.runs.spendUsd(runId),
    /** Recent runs with their spend (newest first), for `/adgen usage`. */
    listRuns: (limit?: number) => deps.runs.list(limit),
    /** Spend control (budgets, usage); undefined when the app runs without it. */
    spend: deps.spend,
    /**
     * Whether what rendering still costs fits the requester's budgets today: said next to an
     * estimate (storyboard, New take) before anyone presses the button. Reserves nothing.
     */
    async budgetCheck(runId: string): Promise<{ ok: true } | { ok: false; message: string }> {
      if (!deps.spend) return { ok: true };
      const [v, e] = await Promise.all([view(runId), pipeline.estimateRenderCost(runId)]);
      if (e.totalUsd <= 0) return { ok: true };
      return deps.spend.fits({ user: v.input.requester, workspace: v.input.workspace }, e.totalUsd);
    },
  };
}

export type Workflow = ReturnType<typeof createWorkflow>;
