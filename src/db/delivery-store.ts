import { and, eq, sql } from 'drizzle-orm';
import { type DeliveryIntent, type DeliveryMethods, deliverySlotStep } from '../bot/core/delivery.ts';
import type { Db } from './client.ts';
import { intents } from './schema.ts';
import type { Ops } from './unit.ts';

/** Delivery intents live in `intents` under `deliver` (kind 'delivery'), `deliver:<slot>` per further file. */

/** SQLite operations of the bot core's DeliveryLog port (bot/core/delivery.ts). */
export function deliveryOps(db: Db): Ops<DeliveryMethods> {
  const row = (runId: string, slot?: string): DeliveryIntent | null => {
    const r = db
      .select()
      .from(intents)
      .where(
        and(
          eq(intents.runId, runId),
          eq(intents.stepId, deliverySlotStep(slot)),
          eq(intents.kind, 'delivery'),
        ),
      )
      .get();
    return r ? { nonce: r.nonce, status: r.status, messageId: r.externalId, createdMs: r.createdMs } : null;
  };
  return {
    get(runId, slot) {
      return row(runId, slot);
    },
    open(runId, nonce, inputHash, slot) {
      // Insert-or-ignore: an intent left by a crashed process keeps its nonce, which is what
      // the thread may already hold.
      db.insert(intents)
        .values({
          runId,
          stepId: deliverySlotStep(slot),
          kind: 'delivery',
          nonce,
          inputHash,
          status: 'open',
          createdMs: Date.now(),
        })
        .onConflictDoNothing()
        .run();
      const stored = row(runId, slot);
      if (!stored) throw new Error(`delivery intent for ${runId} was not stored`);
      return stored;
    },
    done(runId, messageId, slot) {
      db.update(intents)
        .set({
          status: 'done',
          externalId: messageId,
          updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
        })
        .where(and(eq(intents.runId, runId), eq(intents.stepId, deliverySlotStep(slot))))
        .run();
    },
  };
}
