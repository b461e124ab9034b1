import { and, eq, sql } from 'drizzle-orm';
import type { StepMethods, StepRecord } from '../pipeline/engine.ts';
import type { Db } from './client.ts';
import { steps } from './schema.ts';
import { stepRecord } from './step-record.ts';
import type { Ops } from './unit.ts';

/** SQLite operations of the engine's StepStore port. */
export function stepOps(db: Db): Ops<StepMethods> {
  const key = (runId: string, stepId: string) => and(eq(steps.runId, runId), eq(steps.stepId, stepId));
  return {
    load(runId, stepId): StepRecord | undefined {
      const row = db.select().from(steps).where(key(runId, stepId)).get();
      // `running` means its process died inside it: the engine resumes it (see StepInfo.interrupted).
      return row && stepRecord(row);
    },
    loadRun(runId) {
      const rows = db.select().from(steps).where(eq(steps.runId, runId)).all();
      return new Map(rows.map((r) => [r.stepId, stepRecord(r)]));
    },
    begin(runId, stepId) {
      db.insert(steps)
        .values({ runId, stepId, status: 'running', executions: 1 })
        .onConflictDoUpdate({
          target: [steps.runId, steps.stepId],
          set: {
            status: 'running',
            executions: sql`${steps.executions} + 1`,
            updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
          },
        })
        .run();
    },
    succeed(runId, stepId, result, attempts, ms) {
      db.update(steps)
        .set({
          status: 'succeeded',
          result,
          error: null,
          errorCode: null,
          retryable: null,
          attempts,
          durationMs: ms,
        })
        .where(key(runId, stepId))
        .run();
    },
    fail(runId, stepId, f, attempts) {
      db.update(steps)
        .set({ status: 'failed', error: f.error, errorCode: f.code, retryable: f.retryable, attempts })
        .where(key(runId, stepId))
        .run();
    },
  };
}
