import { and, eq, sql } from 'drizzle-orm';
import { type DeliveryIntent, type DeliveryMethods, FIRST_DELIVERY } from '../bot/core/delivery.ts';
import type { Db } from './client.ts';
import { intents } from './schema.ts';
import type { Ops } from './unit.ts';

/**
 * Delivery intents live in `intents` under their key as step id (kind 'delivery'): one per
 * version and format (bot/core/delivery.ts `deliveryKey`), `deliver` for v1's first file.
 */
const STEP = FIRST_DELIVERY;

/** SQLite operations of the bot core's DeliveryLog port (bot/core/delivery.ts). */
export function deliveryOps(db: Db): Ops<DeliveryMethods> {
  const row = (runId: string, key: string): DeliveryIntent | null => {
    const r = db
      .select()
      .from(intents)
      .where(and(eq(intents.runId, runId), eq(intents.stepId, key), eq(intents.kind, 'delivery')))
      .get();
    return r ? { nonce: r.nonce, status: r.status, messageId: r.externalId, createdMs: r.createdMs } : null;
  };
  return {
    get(runId, key = STEP) {
      return row(runId, key);
    },
    open(runId, nonce, inputHash, key = STEP) {
      // Insert-or-ignore: an intent left by a crashed process keeps its nonce, which is what
      // the thread may already hold.
      db.insert(intents)
        .values({
          runId,
          stepId: key,
          kind: 'delivery',
          nonce,
          inputHash,
          status: 'open',
          createdMs: Date.now(),
        })
        .onConflictDoNothing()
        .run();
      const stored = row(runId, key);
      if (!stored) throw new Error(`delivery intent for ${runId} was not stored`);
      return stored;
    },
    done(runId, messageId, key = STEP) {
      db.update(intents)
        .set({
          status: 'done',
          externalId: messageId,
          updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
        })
        .where(and(eq(intents.runId, runId), eq(intents.stepId, key)))
        .run();
    },
  };
}
