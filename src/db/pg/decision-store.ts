import { and, asc, eq, ne } from 'drizzle-orm';
import type { Decision, DecisionMethods, DecisionRecord } from '../../pipeline/decisions.ts';
import { RunInputSchema } from '../../pipeline/run-input.ts';
import { sameInput } from '../decision-store.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { decisions, nowIso, runs } from './schema.ts';
import { atomically } from './unit.ts';

/** PostgreSQL operations of the workflow's DecisionStore port (the twin of ../decision-store.ts). */
export function pgDecisionOps(db: PgConn): Ops<DecisionMethods> {
  return {
    record(runId, actor, d, expected, next, status) {
      // Compare-and-set on the whole state. FOR UPDATE holds the run row from the read to the
      // commit: a decision of another process waits, then reads the state this one wrote, and
      // re-judges instead of overwriting it. Scoped to the run: only its rows are read.
      return atomically(
        db,
        async (tx) => {
          const [row] = await tx
            .select({ input: runs.input })
            .from(runs)
            .where(eq(runs.id, runId))
            .for('update');
          if (!row || !sameInput(row.input, expected)) return false;
          const rev = 'rev' in d ? d.rev : null;
          await tx.insert(decisions).values({ runId, kind: d.kind, actor, cardRev: rev, payload: d });
          await tx
            .update(runs)
            .set({
              input: RunInputSchema.parse(next),
              updatedAt: nowIso,
              ...(status ? { status, error: status === 'cancelled' ? 'cancelled by a user' : null } : {}),
            })
            .where(eq(runs.id, runId));
          return true;
        },
        { scope: runId },
      );
    },
    async list(runId) {
      const rows = await db
        .select()
        .from(decisions)
        .where(eq(decisions.runId, runId))
        .orderBy(asc(decisions.id));
      return rows.map(
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
      return atomically(
        db,
        async (tx) => {
          const [row] = await tx
            .select({ input: runs.input })
            .from(runs)
            .where(and(eq(runs.id, runId), ne(runs.status, 'cancelled')))
            .for('update');
          if (!row) return false;
          const input = { ...(row.input as Record<string, unknown>), deliveryStarted: true };
          await tx.update(runs).set({ input, updatedAt: nowIso }).where(eq(runs.id, runId));
          return true;
        },
        { scope: runId },
      );
    },
  };
}
