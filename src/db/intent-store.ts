import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Intent, IntentMethods } from '../pipeline/intent-store.ts';
import type { Db } from './client.ts';
import { intents, predictions } from './schema.ts';
import type { Ops } from './unit.ts';

const nowSql = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** SQLite operations of the IntentStore port (better-sqlite3 is synchronous underneath). */
export function intentOps(db: Db): Ops<IntentMethods> {
  const key = (runId: string, stepId: string) => and(eq(intents.runId, runId), eq(intents.stepId, stepId));
  const get = (runId: string, stepId: string) =>
    db.select().from(intents).where(key(runId, stepId)).get() as Intent | undefined;
  const settle = (runId: string, stepId: string, externalId: string) => {
    db.update(intents).set({ externalId, status: 'done', updatedAt: nowSql }).where(key(runId, stepId)).run();
  };
  const claimed = (ids: string[]): Set<string> => {
    if (ids.length === 0) return new Set();
    const byIntent = db
      .select({ id: intents.externalId })
      .from(intents)
      .where(inArray(intents.externalId, ids))
      .all();
    const byPrediction = db
      .select({ id: predictions.providerId })
      .from(predictions)
      .where(inArray(predictions.providerId, ids))
      .all();
    return new Set([...byIntent, ...byPrediction].map((r) => r.id).filter((id): id is string => !!id));
  };
  return {
    get: (runId, stepId) => get(runId, stepId),
    open(i) {
      db.insert(intents)
        .values({ ...i, status: 'open', externalId: null })
        .onConflictDoNothing()
        .run();
      return get(i.runId, i.stepId)!;
    },
    settle: (runId, stepId, externalId) => settle(runId, stepId, externalId),
    adoptFirstUnclaimed(runId, stepId, candidates) {
      // A native transaction: another process's claim cannot land between the check and ours.
      return db.transaction(() => {
        const taken = claimed(candidates);
        const free = candidates.find((id) => !taken.has(id));
        if (free) settle(runId, stepId, free);
        return free;
      });
    },
    abandon(runId, stepId) {
      db.update(intents).set({ status: 'abandoned', updatedAt: nowSql }).where(key(runId, stepId)).run();
    },
  };
}
