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
  const active = (user: string, exceptRun = '') => [
    ...new Set(
      rows()
        .filter((r) => r.user === user && r.runId !== exceptRun && s.runs.get(r.runId)?.status === 'running')
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
        otherActiveRuns: active(r.user, r.runId),
      });
      if (verdict.ok && !verdict.already) s.spend.set(pair(r.runId, r.stepId), { ...r });
      return verdict;
    },
    totals: ({ user, workspace, dayStartMs, monthStartMs }) => ({
      userTodayUsd: sum((x) => x.user === user && x.atMs >= dayStartMs),
      userMonthUsd: sum((x) => x.user === user && x.atMs >= monthStartMs),
      workspaceTodayUsd: sum((x) => x.workspace === workspace && x.atMs >= dayStartMs),
    }),
    activeRuns: (user) => active(user),
  };
}
