import { and, eq } from 'drizzle-orm';
import { type DeliveryIntent, type DeliveryMethods, FIRST_DELIVERY } from '../../bot/core/delivery.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { intents, nowIso } from './schema.ts';

/**
 * Delivery intents live in `intents` under their key as step id (kind 'delivery'): one per
 * version and format (bot/core/delivery.ts `deliveryKey`), `deliver` for v1's first file.
 */
const STEP = FIRST_DELIVERY;

/** PostgreSQL operations of the DeliveryLog port (the twin of ../delivery-store.ts). */
export function pgDeliveryOps(db: PgConn): Ops<DeliveryMethods> {
  const row = async (runId: string, key: string): Promise<DeliveryIntent | null> => {
    const [r] = await db
      .select()
      .from(intents)
      .where(and(eq(intents.runId, runId), eq(intents.stepId, key), eq(intents.kind, 'delivery')));
    return r ? { nonce: r.nonce, status: r.status, messageId: r.externalId, createdMs: r.createdMs } : null;
  };
  return {
    get: (runId, key = STEP) => row(runId, key),
    async open(runId, nonce, inputHash, key = STEP) {
      // Insert-or-ignore: an intent left by a crashed process keeps its nonce.
      await db
        .insert(intents)
        .values({
          runId,
          stepId: key,
          kind: 'delivery',
          nonce,
          inputHash,
          status: 'open',
          createdMs: Date.now(),
        })
        .onConflictDoNothing();
      const stored = await row(runId, key);
      if (!stored) throw new Error(`delivery intent for ${runId} was not stored`);
      return stored;
    },
    async done(runId, messageId, key = STEP) {
      await db
        .update(intents)
        .set({ status: 'done', externalId: messageId, updatedAt: nowIso })
        .where(and(eq(intents.runId, runId), eq(intents.stepId, key)));
    },
  };
}
