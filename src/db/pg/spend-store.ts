import { and, eq, gt, gte, ne, sql } from 'drizzle-orm';
import { judgeReservation, type SpendMethods } from '../../pipeline/spend-store.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { runs, spendLedger } from './schema.ts';
import { atomically } from './unit.ts';

/** PostgreSQL operations of the SpendStore port (the twin of ../spend-store.ts). */
export function pgSpendOps(db: PgConn): Ops<SpendMethods> {
  const sum = async (c: PgConn, where: ReturnType<typeof and>) => {
    const [row] = await c
      .select({ v: sql<string>`coalesce(sum(${spendLedger.usd}), 0)` })
      .from(spendLedger)
      .where(where);
    return Number(row?.v ?? 0);
  };
  const byUser = (c: PgConn, user: string, since: number) =>
    sum(c, and(eq(spendLedger.userId, user), gte(spendLedger.createdMs, since)));
  const byWorkspace = (c: PgConn, workspace: string, since: number) =>
    sum(c, and(eq(spendLedger.workspace, workspace), gte(spendLedger.createdMs, since)));
  // Active = running AND worked on now (a live lease), as in ../spend-store.ts.
  const active = async (c: PgConn, user: string, nowMs: number, exceptRun = '') =>
    (
      await c
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
    ).map((r) => r.id);
  return {
    // Under the writer lock (as SQLite's IMMEDIATE): a reservation racing ours waits for our
    // commit and then counts our row, so two renders cannot both take the last dollars. It only
    // reads the ledger of its user and its workspace: scoped to those, other teams' go on.
    reserve: (r, limits) =>
      atomically(
        db,
        async (tx) => {
          const mine = await tx
            .select({ step: spendLedger.stepId })
            .from(spendLedger)
            .where(eq(spendLedger.runId, r.runId));
          const verdict = judgeReservation(r, limits, {
            already: mine.some((m) => m.step === r.stepId),
            runHasReserved: mine.length > 0,
            userTodayUsd: await byUser(tx, r.user, limits.dayStartMs),
            workspaceTodayUsd: await byWorkspace(tx, r.workspace, limits.dayStartMs),
            otherActiveRuns: await active(tx, r.user, r.atMs, r.runId),
          });
          if (verdict.ok && !verdict.already) {
            await tx.insert(spendLedger).values({
              runId: r.runId,
              stepId: r.stepId,
              userId: r.user,
              workspace: r.workspace,
              usd: r.usd,
              createdMs: r.atMs,
            });
          }
          return verdict;
        },
        { scope: [`spend-user:${r.user}`, `spend-workspace:${r.workspace}`] },
      ),
    async totals({ user, workspace, dayStartMs, monthStartMs }) {
      return {
        userTodayUsd: await byUser(db, user, dayStartMs),
        userMonthUsd: await byUser(db, user, monthStartMs),
        workspaceTodayUsd: await byWorkspace(db, workspace, dayStartMs),
      };
    },
    activeRuns: (user, nowMs = Date.now()) => active(db, user, nowMs),
  };
}
