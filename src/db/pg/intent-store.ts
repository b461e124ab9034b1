import { and, eq, inArray } from 'drizzle-orm';
import type { Intent, IntentMethods } from '../../pipeline/intent-store.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { intents, nowIso, predictions } from './schema.ts';
import { atomically } from './unit.ts';

/** PostgreSQL operations of the IntentStore port (the twin of ../intent-store.ts). */
export function pgIntentOps(db: PgConn): Ops<IntentMethods> {
  const key = (runId: string, stepId: string) => and(eq(intents.runId, runId), eq(intents.stepId, stepId));
  const get = async (c: PgConn, runId: string, stepId: string) => {
    const [row] = await c.select().from(intents).where(key(runId, stepId));
    return row as Intent | undefined;
  };
  const settle = async (c: PgConn, runId: string, stepId: string, externalId: string) => {
    await c.update(intents).set({ externalId, status: 'done', updatedAt: nowIso }).where(key(runId, stepId));
  };
  const claimed = async (c: PgConn, ids: string[]): Promise<Set<string>> => {
    if (ids.length === 0) return new Set();
    const byIntent = await c
      .select({ id: intents.externalId })
      .from(intents)
      .where(inArray(intents.externalId, ids));
    const byPrediction = await c
      .select({ id: predictions.providerId })
      .from(predictions)
      .where(inArray(predictions.providerId, ids));
    return new Set([...byIntent, ...byPrediction].map((r) => r.id).filter((id): id is string => !!id));
  };
  return {
    get: (runId, stepId) => get(db, runId, stepId),
    async open(i) {
      await db
        .insert(intents)
        .values({ ...i, status: 'open', externalId: null })
        .onConflictDoNothing();
      return (await get(db, i.runId, i.stepId))!;
    },
    settle: (runId, stepId, externalId) => settle(db, runId, stepId, externalId),
    adoptFirstUnclaimed(runId, stepId, candidates) {
      // The check spans two tables, so no row lock covers it: under the writer lock (unit.ts) no
      // other adopter, in this process or another, can claim between our check and our write.
      return atomically(db, async (tx) => {
        const taken = await claimed(tx, candidates);
        const free = candidates.find((id) => !taken.has(id));
        if (free) await settle(tx, runId, stepId, free);
        return free;
      });
    },
    async abandon(runId, stepId) {
      await db.update(intents).set({ status: 'abandoned', updatedAt: nowIso }).where(key(runId, stepId));
    },
  };
}
