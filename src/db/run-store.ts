import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { RunMethods, RunRow } from '../pipeline/stores.ts';
import type { Db } from './client.ts';
import { assets, predictions, runs, spendLedger, steps } from './schema.ts';
import type { Ops } from './unit.ts';

const nowSql = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** SQLite operations of the pipeline's RunStore port. */
export function runOps(db: Db): Ops<RunMethods> {
  const spend = (runId: string) =>
    db
      .select({ v: sql<number>`coalesce(sum(${predictions.costUsd}), 0)` })
      .from(predictions)
      .where(eq(predictions.runId, runId))
      .get()?.v ?? 0;
  return {
    create({ id, title, input, status = 'pending' }) {
      db.insert(runs).values({ id, title, input, status }).run();
    },
    get(id) {
      return db.select().from(runs).where(eq(runs.id, id)).get() as RunRow | undefined;
    },
    list(limit = 50) {
      const rows = db.select().from(runs).orderBy(desc(runs.createdAt)).limit(limit).all();
      return rows.map((r) => {
        const p = db
          .select({ n: sql<number>`count(*)`, cost: sql<number>`coalesce(sum(${predictions.costUsd}), 0)` })
          .from(predictions)
          .where(eq(predictions.runId, r.id))
          .get();
        const done = db
          .select({ n: sql<number>`count(*)` })
          .from(steps)
          .where(and(eq(steps.runId, r.id), eq(steps.status, 'succeeded')))
          .get();
        return { ...r, spendUsd: p?.cost ?? 0, predictions: p?.n ?? 0, stepsDone: done?.n ?? 0 };
      });
    },
    setStatus(id, status, extra = {}) {
      // A cancel is final: work that ends after it (a step that finished as the cancel landed)
      // must not turn the run back into running or succeeded.
      const notCancelled = status === 'cancelled' ? undefined : ne(runs.status, 'cancelled');
      db.update(runs)
        .set({ status, updatedAt: nowSql, ...extra })
        .where(and(eq(runs.id, id), notCancelled))
        .run();
    },
    setInput(id, input) {
      db.update(runs).set({ input, updatedAt: nowSql }).where(eq(runs.id, id)).run();
    },
    recordAsset(a) {
      db.insert(assets)
        .values(a)
        .onConflictDoUpdate({
          target: assets.path,
          set: { sha256: a.sha256, bytes: a.bytes, stepId: a.stepId },
        })
        .run();
    },
    assets(runId) {
      return db.select().from(assets).where(eq(assets.runId, runId)).orderBy(assets.id).all();
    },
    recordSubmit(p) {
      db.insert(predictions)
        .values({ ...p, status: 'submitted' })
        .onConflictDoUpdate({
          target: [predictions.runId, predictions.stepId],
          set: {
            providerId: p.providerId,
            model: p.model,
            costUsd: p.costUsd,
            status: 'submitted',
            updatedAt: nowSql,
          },
        })
        .run();
    },
    finishPrediction(runId, stepId, status, extra = {}) {
      db.update(predictions)
        .set({ status, updatedAt: nowSql, ...extra })
        .where(and(eq(predictions.runId, runId), eq(predictions.stepId, stepId)))
        .run();
      // The ledger reserved the estimate before the create; once the bill is known it says that.
      if (extra.costUsd !== undefined)
        db.update(spendLedger)
          .set({ usd: extra.costUsd })
          .where(and(eq(spendLedger.runId, runId), eq(spendLedger.stepId, stepId)))
          .run();
    },
    spendUsd: spend,
    openPredictions(runId) {
      return db
        .select({ stepId: predictions.stepId, model: predictions.model, providerId: predictions.providerId })
        .from(predictions)
        .where(and(eq(predictions.runId, runId), eq(predictions.status, 'submitted')))
        .all();
    },
  };
}
