import { errorMessage } from '../../errors.ts';
import type { JobHandlers } from '../../pipeline/jobs/ports.ts';
import { type BotDeps, ThreadCtx } from './context.ts';
import { parseLanePayload } from './lane-events.ts';
import type { ActionEvent, ChatAdapter, MessageEvent, ReactionEvent } from './ports.ts';
import { runPhase } from './run-jobs.ts';
import { syncThread } from './sync.ts';

/**
 * The working half of the bot (what `adgen worker` gives its job queue): a thread's lane events
 * in order, and run jobs. With a durable queue a thread is read afresh for each event, since
 * another worker may have handled the one before.
 */
export function workerHandlers(b: {
  deps: BotDeps;
  durable: boolean;
  forget(threadId: string): void;
  context(threadId: string): Promise<ThreadCtx | undefined>;
  adapterFor(platform: string): ChatAdapter;
  onStarted(threadId: string, idea: string, meaningful: boolean): Promise<void>;
  onReaction(e: ReactionEvent): Promise<void>;
  onThreadEvent(e: MessageEvent | ActionEvent): Promise<void>;
}): JobHandlers {
  const { deps } = b;

  /** A run's thread shows the result of a run job (published by the worker that did it). */
  async function onSync(runId: string) {
    const state = await deps.threads.byRun(runId);
    const ctx = state && (await b.context(state.id));
    if (!ctx) return;
    const v = await deps.workflow.view(runId);
    await syncThread(ctx, v);
    if (v.phase === 'done' || v.phase === 'cancelled') await deps.threads.close(ctx.state.id);
  }

  return {
    async event(key, raw) {
      if (b.durable) b.forget(key);
      try {
        const p = parseLanePayload(raw);
        if (p.kind === 'started') await b.onStarted(p.threadId, p.idea, p.meaningful);
        else if (p.kind === 'sync') await onSync(p.runId);
        else if (p.event.type === 'reaction') await b.onReaction(p.event);
        else await b.onThreadEvent(p.event as MessageEvent | ActionEvent);
      } catch (err) {
        deps.log.error('event failed', { lane: key, error: errorMessage(err) });
      }
    },
    async run(kind, runId, signal) {
      const state = await deps.threads.byRun(runId);
      if (!state || !deps.adapters[state.platform]) return;
      // Read-only use of the thread (run-jobs.ts): a fresh copy, never the lanes' cached one.
      await runPhase(new ThreadCtx(deps, state, b.adapterFor(state.platform)), kind, runId, signal);
    },
  };
}
