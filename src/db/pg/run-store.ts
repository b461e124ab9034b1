import { and, desc, eq, ne, sql } from 'drizzle-orm';
import type { RunMethods, RunRow } from '../../pipeline/stores.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { assets, nowIso, predictions, runs, spendLedger, steps } from './schema.ts';

/** PostgreSQL operations of the pipeline's RunStore port (the twin of ../run-store.ts). */
export function pgRunOps(db: PgConn): Ops<RunMethods> {
  const spend = async (runId: string) => {
    const [row] = await db
      .select({ v: sql<number>`coalesce(sum(${predictions.costUsd}), 0)::float8` })
      .from(predictions)
      .where(eq(predictions.runId, runId));
    return Number(row?.v ?? 0);
  };
  const summary = async (r: RunRow) => {
    const [p] = await db
      .select({
        n: sql<number>`count(*)::int`,
        cost: sql<number>`coalesce(sum(${predictions.costUsd}), 0)::float8`,
      })
      .from(predictions)
      .where(eq(predictions.runId, r.id));
    const [done] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(steps)
      .where(and(eq(steps.runId, r.id), eq(steps.status, 'succeeded')));
    return { ...r, spendUsd: p?.cost ?? 0, predictions: p?.n ?? 0, stepsDone: done?.n ?? 0 };
  };
  return {
    async create({ id, title, input, status = 'pending' }) {
      await db.insert(runs).values({ id, title, input, status });
    },
    async get(id) {
      const [row] = await db.select().from(runs).where(eq(runs.id, id));
      return row as RunRow | undefined;
    },
    async list(limit = 50) {
      const rows = await db.select().from(runs).orderBy(desc(runs.createdAt)).limit(limit);
      return Promise.all(rows.map((r) => summary(r as RunRow)));
    },
    async setStatus(id, status, extra = {}) {
      // A cancel is final (see ../run-store.ts); one UPDATE, so a racing cancel is never undone.
      const notCancelled = status === 'cancelled' ? undefined : ne(runs.status, 'cancelled');
      await db
        .update(runs)
        .set({ status, updatedAt: nowIso, ...extra })
        .where(and(eq(runs.id, id), notCancelled));
    },
    async setInput(id, input) {
      await db.update(runs).set({ input, updatedAt: nowIso }).where(eq(runs.id, id));
    },
    async recordAsset(a) {
      await db
        .insert(assets)
        .values(a)
        .onConflictDoUpdate({
          target: assets.path,
          set: { sha256: a.sha256, bytes: a.bytes, stepId: a.stepId },
        });
    },
    async assets(runId) {
      return db.select().from(assets).where(eq(assets.runId, runId)).orderBy(assets.id);
    },
    async recordSubmit(p) {
      await db
        .insert(predictions)
        .values({ ...p, status: 'submitted' })
        .onConflictDoUpdate({
          target: [predictions.runId, predictions.stepId],
          set: {
            providerId: p.providerId,
            model: p.model,
            costUsd: p.costUsd,
            status: 'submitted',
            updatedAt: nowIso,
          },
        });
    },
    async finishPrediction(runId, stepId, status, extra = {}) {
      await db
        .update(predictions)
        .set({ status, updatedAt: nowIso, ...extra })
        .where(and(eq(predictions.runId, runId), eq(predictions.stepId, stepId)));
      // The ledger reserved the estimate before the create; once the bill is known it says that.
      if (extra.costUsd !== undefined)
        await db
          .update(spendLedger)
          .set({ usd: extra.costUsd })
          .where(and(eq(spendLedger.runId, runId), eq(spendLedger.stepId, stepId)));
    },
    spendUsd: spend,
    async openPredictions(runId) {
      return db
        .select({ stepId: predictions.stepId, model: predictions.model, providerId: predictions.providerId })
        .from(predictions)
        .where(and(eq(predictions.runId, runId), eq(predictions.status, 'submitted')));
    },
  };
}
