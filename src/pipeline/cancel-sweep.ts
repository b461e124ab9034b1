import type { Leases } from './lease.ts';
import type { AsyncGen, Providers } from './providers/ports.ts';
import type { RunStore } from './stores.ts';

/** How long a cancelled run's own work may take to stop here (a create in flight is let finish). */
const LOCAL_STOP_WAIT_MS = 120_000;

interface SweepDeps {
  runs: RunStore;
  leases: Leases;
  providers: Providers;
  /** Whether this process still works on the run (pipeline.isActive). */
  isActive(runId: string): boolean;
}

/**
 * After a cancel, every prediction the run still has open at the provider is cancelled there and
 * recorded as cancelled, so a cancelled ad stops paying even when the process that made those
 * predictions was killed (nobody else would ever poll them) or its poll stopped at the abort.
 * Waits for this process's own work on the run to stop, then takes the run's lease: a live holder
 * elsewhere stops first (its watcher sees the cancel), a dead one's lease lapses. Cancelling a
 * prediction that already finished changes nothing at Replicate. Returns how many it swept.
 */
export async function sweepCancelledPredictions(deps: SweepDeps, runId: string): Promise<number> {
  const until = Date.now() + LOCAL_STOP_WAIT_MS;
  while (deps.isActive(runId) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const { video, image, music, tts } = deps.providers;
  const gens = [video, image, music, tts].filter((g): g is AsyncGen<never> => Boolean(g?.cancel));
  return deps.leases.withLease(
    runId,
    async () => {
      const open = await deps.runs.openPredictions(runId);
      for (const p of open) {
        // Its own model's client, else any: they share one Replicate API.
        const gen = gens.find((g) => g.model === p.model) ?? gens[0];
        if (!gen) return 0; // offline providers make no predictions to cancel
        await gen.cancel!({ id: p.providerId });
        await deps.runs.finishPrediction(runId, p.stepId, 'canceled');
      }
      return open.length;
    },
    { wait: true },
  );
}
