import type { StepRecord, StepStore } from './engine.ts';
import { readOnlySteps } from './steps/estimate.ts';

/**
 * The step store one view (or estimate) of a run reads through: read-only, with every step of the
 * run read at once on its first look (StepMethods.loadRun) and served from that snapshot. A view
 * looks up some 40 step ids, most of them attempts that never ran (`…/refetch`, `…/again`, which
 * no cache of found records can answer): one query instead of one per id (bench:scale: ~240 of
 * a worker's ~1,300 SQL statements an ad). A snapshot also shows the run at one moment, not a
 * mix of moments. Make one per view: it is never read again, so nothing stale outlives it.
 */
export function viewSteps(store: StepStore, runId: string): StepStore {
  let snapshot: Promise<Map<string, StepRecord>> | undefined;
  return {
    ...readOnlySteps(store),
    async load(id, stepId) {
      if (id !== runId) return store.load(id, stepId);
      snapshot ??= store.loadRun(runId);
      const rec = (await snapshot).get(stepId);
      // A copy: a view may arrange what it reads, and a second look must see the stored record.
      return rec && structuredClone(rec);
    },
  };
}
