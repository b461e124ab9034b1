import { and, eq, sql } from 'drizzle-orm';
import type { StepRecord, StepStore } from '../pipeline/engine.ts';
import type { Db } from './client.ts';
import { steps } from './schema.ts';

/** SQLite implementation of the engine's StepStore port. */
export function createStepStore(db: Db): StepStore {
  const key = (runId: string, stepId: string) => and(eq(steps.runId, runId), eq(steps.stepId, stepId));
  return {
    load(runId, stepId): StepRecord | undefined {
      const row = db.select().from(steps).where(key(runId, stepId)).get();
      if (!row) return undefined;
      // `running` means its process died inside it: the engine resumes it (see StepInfo.interrupted).
      return { status: row.status, result: row.result, error: row.error };
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
    succeed(runId, stepId, result, attempts, ms, alsoWrite) {
      db.transaction(() => {
        db.update(steps)
          .set({ status: 'succeeded', result, error: null, attempts, durationMs: ms })
          .where(key(runId, stepId))
          .run();
        alsoWrite?.();
      });
    },
    fail(runId, stepId, error, attempts) {
      db.update(steps).set({ status: 'failed', error, attempts }).where(key(runId, stepId)).run();
    },
  };
}
