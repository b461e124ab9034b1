import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Decision, DecisionMethods, DecisionRecord } from '../pipeline/decisions.ts';
import { RunInputSchema } from '../pipeline/run-input.ts';
import type { Db } from './client.ts';
import { decisions, runs } from './schema.ts';
import type { Ops } from './unit.ts';

/** Compare-and-set key: the parsed state, so key order or defaults cannot make equal states differ. */
export const sameInput = (a: unknown, b: unknown) =>
  JSON.stringify(RunInputSchema.parse(a)) === JSON.stringify(RunInputSchema.parse(b));

const nowSql = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** SQLite operations of the workflow's DecisionStore port. */
export function decisionOps(db: Db): Ops<DecisionMethods> {
  return {
    record(runId, actor, d, expected, next, status) {
      // A native (nested: savepoint) transaction even inside ours: another PROCESS may write
      // between the read and the write, which our in-process mutex cannot prevent.
      return db.transaction((tx) => {
        // Compare-and-set on the whole state: a concurrent decision (another process, another
        // click) that landed first makes this one re-judge instead of overwriting it.
        const row = tx.select({ input: runs.input }).from(runs).where(eq(runs.id, runId)).get();
        if (!row || !sameInput(row.input, expected)) return false;
        const rev = 'rev' in d ? d.rev : null;
        tx.insert(decisions).values({ runId, kind: d.kind, actor, cardRev: rev, payload: d }).run();
        tx.update(runs)
          .set({
            input: RunInputSchema.parse(next),
            updatedAt: nowSql,
            ...(status ? { status, error: status === 'cancelled' ? 'cancelled by a user' : null } : {}),
          })
          .where(eq(runs.id, runId))
          .run();
        return true;
      });
    },
    list(runId) {
      return db
        .select()
        .from(decisions)
        .where(eq(decisions.runId, runId))
        .orderBy(asc(decisions.id))
        .all()
        .map(
          (r): DecisionRecord => ({
            id: r.id,
            kind: r.kind as Decision['kind'],
            actor: r.actor,
            rev: r.cardRev,
            decision: r.payload as Decision,
            createdAt: r.createdAt,
          }),
        );
    },
    startDelivery(runId) {
      return db.transaction((tx) => {
        const row = tx
          .select({ input: runs.input })
          .from(runs)
          .where(and(eq(runs.id, runId), ne(runs.status, 'cancelled')))
          .get();
        if (!row) return false;
        const input = { ...(row.input as Record<string, unknown>), deliveryStarted: true };
        tx.update(runs).set({ input, updatedAt: nowSql }).where(eq(runs.id, runId)).run();
        return true;
      });
    },
  };
}
