import { LRUCache } from 'lru-cache';
import type { StepRecord, StepStore } from './engine.ts';
import { readOnlySteps } from './steps/estimate.ts';

/**
 * The step store the views and estimates read through (read-only): a succeeded step's record is
 * kept in memory, anything else is read again each time. A worker built a thread's view some
 * 25 times an ad, each reading ~20 step records (bench:scale: ~526 loads an ad, 40% of its
 * SQL), though a succeeded step never changes: its id names everything it was made from (a
 * change of storyboard, scene, take or retry round is a new id). The one exception, a step whose
 * files are on another machine being made again here (`reusable`), is never read by a view: the
 * view reads the render step, the re-made one is `render…/here`.
 */
export function viewSteps(store: StepStore, max = 5000): StepStore {
  const succeeded = new LRUCache<string, StepRecord>({ max });
  const readOnly = readOnlySteps(store);
  return {
    ...readOnly,
    async load(runId, stepId) {
      const key = `${runId}\n${stepId}`;
      // A copy: a view may arrange what it reads, and the next view must read the stored record.
      const hit = succeeded.get(key);
      if (hit) return structuredClone(hit);
      const rec = await store.load(runId, stepId);
      if (rec?.status === 'succeeded') succeeded.set(key, structuredClone(rec));
      return rec;
    },
  };
}
