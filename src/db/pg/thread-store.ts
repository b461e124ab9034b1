import { eq, lt, sql } from 'drizzle-orm';
import type { MessageKind, ThreadMethods } from '../../bot/core/thread-state.ts';
import { normaliseThread } from '../thread-store.ts';
import type { Ops } from '../unit.ts';
import type { PgConn } from './client.ts';
import { botMessages, nowIso, seenEvents, threads } from './schema.ts';

const CLOSED = 'closed';

/** PostgreSQL operations of the bot core's ThreadStore port (the twin of ../thread-store.ts). */
export function pgThreadOps(db: PgConn): Ops<ThreadMethods> {
  const msgKey = (platform: string, channel: string, id: string) => `${platform}:${channel}:${id}`;
  const rowState = (r: { state: unknown } | undefined) =>
    r ? normaliseThread(r.state as Record<string, unknown>) : undefined;
  return {
    async get(id) {
      const [row] = await db.select().from(threads).where(eq(threads.id, id));
      return rowState(row);
    },
    async save(state) {
      // A closed thread stays closed whatever a late save says (one statement: no race).
      const phase = sql`case when ${threads.phase} = ${CLOSED} then ${CLOSED} else ${state.stage} end`;
      await db
        .insert(threads)
        .values({ id: state.id, phase: state.stage, runId: state.runId, state })
        .onConflictDoUpdate({
          target: threads.id,
          set: { phase, runId: state.runId, state, updatedAt: nowIso },
        });
    },
    async unfinished() {
      const rows = await db
        .select()
        .from(threads)
        .where(sql`${threads.phase} not in ('brief', 'brief_review', ${CLOSED})`);
      return rows.map((r) => rowState(r)!);
    },
    async byRun(runId) {
      const [row] = await db.select().from(threads).where(eq(threads.runId, runId)).limit(1);
      return rowState(row);
    },
    async linkMessage(platform, channel, messageId, link) {
      const { threadId, kind, ref, rev } = link;
      await db
        .insert(botMessages)
        .values({ key: msgKey(platform, channel, messageId), threadId, kind, ref, rev })
        .onConflictDoUpdate({ target: botMessages.key, set: { threadId, kind, ref, rev } });
    },
    async findMessage(platform, channel, messageId) {
      const [row] = await db
        .select()
        .from(botMessages)
        .where(eq(botMessages.key, msgKey(platform, channel, messageId)));
      return row
        ? { threadId: row.threadId, kind: row.kind as MessageKind, ref: row.ref, rev: row.rev }
        : undefined;
    },
    async firstDelivery(key) {
      // Two gateways receiving the same event: the primary key lets exactly one insert land.
      const inserted = await db
        .insert(seenEvents)
        .values({ key })
        .onConflictDoNothing()
        .returning({ key: seenEvents.key });
      return inserted.length === 1;
    },
    async pruneDeliveries(olderThanMs) {
      const cutoff = new Date(Date.now() - olderThanMs).toISOString();
      const gone = await db
        .delete(seenEvents)
        .where(lt(seenEvents.receivedAt, cutoff))
        .returning({ key: seenEvents.key });
      return gone.length;
    },
    async close(id) {
      await db.update(threads).set({ phase: CLOSED }).where(eq(threads.id, id));
    },
  };
}
