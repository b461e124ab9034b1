import { and, eq } from 'drizzle-orm';
import type { DeliveryIntent, DeliveryMethods } from '../../bot/core/delivery.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { intents, nowIso } from './schema.ts';

/** Delivery intents live in `intents` under this step id (kind 'delivery'), one per run. */
const STEP = 'deliver';

/** PostgreSQL operations of the DeliveryLog port (the twin of ../delivery-store.ts). */
export function pgDeliveryOps(db: PgConn): Ops<DeliveryMethods> {
  const row = async (runId: string): Promise<DeliveryIntent | null> => {
    const [r] = await db
      .select()
      .from(intents)
      .where(and(eq(intents.runId, runId), eq(intents.stepId, STEP), eq(intents.kind, 'delivery')));
    return r ? { nonce: r.nonce, status: r.status, messageId: r.externalId, createdMs: r.createdMs } : null;
  };
  return {
    get: row,
    async open(runId, nonce, inputHash) {
      // Insert-or-ignore: an intent left by a crashed process keeps its nonce.
      await db
        .insert(intents)
        .values({
          runId,
          stepId: STEP,
          kind: 'delivery',
          nonce,
          inputHash,
          status: 'open',
          createdMs: Date.now(),
        })
        .onConflictDoNothing();
      const stored = await row(runId);
      if (!stored) throw new Error(`delivery intent for ${runId} was not stored`);
      return stored;
    },
    async done(runId, messageId) {
      await db
        .update(intents)
        .set({ status: 'done', externalId: messageId, updatedAt: nowIso })
        .where(and(eq(intents.runId, runId), eq(intents.stepId, STEP)));
    },
  };
}
