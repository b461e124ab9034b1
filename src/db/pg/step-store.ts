import { and, eq, sql } from 'drizzle-orm';
import type { StepMethods, StepRecord } from '../../pipeline/engine.ts';
import { stepRecord } from '../step-record.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { nowIso, steps } from './schema.ts';

/** PostgreSQL operations of the engine's StepStore port (the twin of ../step-store.ts). */
export function pgStepOps(db: PgConn): Ops<StepMethods> {
  const key = (runId: string, stepId: string) => and(eq(steps.runId, runId), eq(steps.stepId, stepId));
  return {
    async load(runId, stepId): Promise<StepRecord | undefined> {
      const [row] = await db.select().from(steps).where(key(runId, stepId));
      return row && stepRecord(row);
    },
    async loadRun(runId) {
      const rows = await db.select().from(steps).where(eq(steps.runId, runId));
      return new Map(rows.map((r) => [r.stepId, stepRecord(r)]));
    },
    async begin(runId, stepId) {
      await db
        .insert(steps)
        .values({ runId, stepId, status: 'running', executions: 1 })
        .onConflictDoUpdate({
          target: [steps.runId, steps.stepId],
          set: { status: 'running', executions: sql`${steps.executions} + 1`, updatedAt: nowIso },
        });
    },
    async succeed(runId, stepId, result, attempts, ms) {
      await db
        .update(steps)
        .set({
          status: 'succeeded',
          result,
          error: null,
          errorCode: null,
          retryable: null,
          attempts,
          durationMs: ms,
          updatedAt: nowIso,
        })
        .where(key(runId, stepId));
    },
    async fail(runId, stepId, f, attempts) {
      await db
        .update(steps)
        .set({
          status: 'failed',
          error: f.error,
          errorCode: f.code,
          retryable: f.retryable,
          attempts,
          updatedAt: nowIso,
        })
        .where(key(runId, stepId));
    },
  };
}
