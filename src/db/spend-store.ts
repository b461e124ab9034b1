import { and, eq, gt, gte, ne, sql } from 'drizzle-orm';
import { judgeReservation, type SpendMethods } from '../pipeline/spend-store.ts';
import type { Db } from './client.ts';
import { runs, spendLedger } from './schema.ts';
import type { Ops } from './unit.ts';

/** SQLite operations of the SpendStore port. */
export function spendOps(db: Db): Ops<SpendMethods> {
  const sum = (where: ReturnType<typeof and>) =>
    db
      .select({ v: sql<number>`coalesce(sum(${spendLedger.usd}), 0)` })
      .from(spendLedger)
      .where(where)
      .get()?.v ?? 0;
  const byUser = (user: string, since: number) =>
    sum(and(eq(spendLedger.userId, user), gte(spendLedger.createdMs, since)));
  const byWorkspace = (workspace: string, since: number) =>
    sum(and(eq(spendLedger.workspace, workspace), gte(spendLedger.createdMs, since)));
  // Active = running AND worked on now (a live lease): a run whose process died must not hold
  // its owner's slot for ever; its resume takes the lease, and the slot, again.
  const active = (user: string, nowMs: number, exceptRun = '') =>
    db
      .selectDistinct({ id: spendLedger.runId })
      .from(spendLedger)
      .innerJoin(runs, eq(runs.id, spendLedger.runId))
      .where(
        and(
          eq(spendLedger.userId, user),
          eq(runs.status, 'running'),
          gt(runs.leaseExpiresAt, nowMs),
          ne(spendLedger.runId, exceptRun),
        ),
      )
      .all()
      .map((r) => r.id);
  return {
    reserve(r, limits) {
      // IMMEDIATE takes the write lock before reading the sums: another process reserving at the
      // same moment waits for our commit and then sees our row (a deferred read would not).
      return db.transaction(
        () => {
          const mine = db
            .select({ step: spendLedger.stepId })
            .from(spendLedger)
            .where(eq(spendLedger.runId, r.runId))
            .all();
          const verdict = judgeReservation(r, limits, {
            already: mine.some((m) => m.step === r.stepId),
            runHasReserved: mine.length > 0,
            userTodayUsd: byUser(r.user, limits.dayStartMs),
            workspaceTodayUsd: byWorkspace(r.workspace, limits.dayStartMs),
            otherActiveRuns: active(r.user, r.atMs, r.runId),
          });
          if (verdict.ok && !verdict.already)
            db.insert(spendLedger)
              .values({
                runId: r.runId,
                stepId: r.stepId,
                userId: r.user,
                workspace: r.workspace,
                usd: r.usd,
                createdMs: r.atMs,
              })
              .run();
          return verdict;
        },
        // Inside our own BEGIN IMMEDIATE (a store transaction) this becomes a savepoint.
        { behavior: 'immediate' },
      );
    },
    totals({ user, workspace, dayStartMs, monthStartMs }) {
      return {
        userTodayUsd: byUser(user, dayStartMs),
        userMonthUsd: byUser(user, monthStartMs),
        workspaceTodayUsd: byWorkspace(workspace, dayStartMs),
      };
    },
    activeRuns: (user, nowMs = Date.now()) => active(user, nowMs),
  };
}
