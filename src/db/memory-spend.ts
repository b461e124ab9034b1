import { judgeReservation, type SpendMethods, type SpendReservation } from '../pipeline/spend-store.ts';
import { type MemoryState, pair } from './memory-runs.ts';
import type { Ops } from './unit.ts';

/** The SpendStore port in memory (the reference the store contract pins). */
export function memorySpendOps(s: MemoryState): Ops<SpendMethods> {
  const rows = () => [...s.spend.values()];
  const sum = (keep: (r: SpendReservation) => boolean) =>
    rows()
      .filter(keep)
      .reduce((t, r) => t + r.usd, 0);
  // Active = running AND worked on now (a live lease): a run whose process died must not hold
  // its owner's slot for ever; its resume takes the lease, and the slot, again.
  const live = (runId: string, nowMs: number) => {
    const run = s.runs.get(runId);
    return run?.status === 'running' && (run.leaseExpiresAt ?? 0) > nowMs;
  };
  const active = (user: string, nowMs: number, exceptRun = '') => [
    ...new Set(
      rows()
        .filter((r) => r.user === user && r.runId !== exceptRun && live(r.runId, nowMs))
        .map((r) => r.runId),
    ),
  ];
  return {
    reserve(r, limits) {
      // Synchronous from read to write: nothing can interleave in one JavaScript turn.
      const verdict = judgeReservation(r, limits, {
        already: s.spend.has(pair(r.runId, r.stepId)),
        runHasReserved: rows().some((x) => x.runId === r.runId),
        userTodayUsd: sum((x) => x.user === r.user && x.atMs >= limits.dayStartMs),
        workspaceTodayUsd: sum((x) => x.workspace === r.workspace && x.atMs >= limits.dayStartMs),
        otherActiveRuns: active(r.user, r.atMs, r.runId),
      });
      if (verdict.ok && !verdict.already) s.spend.set(pair(r.runId, r.stepId), { ...r });
      return verdict;
    },
    totals: ({ user, workspace, dayStartMs, monthStartMs }) => ({
      userTodayUsd: sum((x) => x.user === user && x.atMs >= dayStartMs),
      userMonthUsd: sum((x) => x.user === user && x.atMs >= monthStartMs),
      workspaceTodayUsd: sum((x) => x.workspace === workspace && x.atMs >= dayStartMs),
    }),
    activeRuns: (user, nowMs = Date.now()) => active(user, nowMs),
  };
}
