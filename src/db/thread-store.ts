import { eq, sql } from 'drizzle-orm';
import type { MessageKind, ThreadMethods, ThreadState } from '../bot/core/thread-state.ts';
import type { Db } from './client.ts';
import { botMessages, seenEvents, threads } from './schema.ts';
import type { Ops } from './unit.ts';

const CLOSED = 'closed';

/**
 * Threads saved by an older adgen kept the ad's phase in the thread; from now on the run holds
 * it. Such a thread continues as a `run` thread (its cards are posted again from the run's view).
 */
export function normaliseThread(raw: Record<string, unknown>): ThreadState {
  const old = raw as Partial<ThreadState> & { phase?: string };
  const stage = old.stage ?? (old.phase === 'brief' || old.phase === 'brief_review' ? old.phase : 'run');
  return {
    ...(old as ThreadState),
    stage: stage === 'run' && !old.runId ? 'brief' : stage,
    briefRev: old.briefRev ?? null,
    cards: old.cards ?? {},
    votes: Object.fromEntries(
      Object.entries(old.votes ?? {}).filter(([, v]) => typeof v === 'object' && v !== null),
    ),
  };
}

/** SQLite operations of the bot core's ThreadStore port. */
export function threadOps(db: Db): Ops<ThreadMethods> {
  const msgKey = (platform: string, channel: string, id: string) => `${platform}:${channel}:${id}`;
  const rowState = (r: { state: unknown } | undefined) =>
    r ? normaliseThread(r.state as Record<string, unknown>) : undefined;
  return {
    get(id) {
      return rowState(db.select().from(threads).where(eq(threads.id, id)).get());
    },
    save(state) {
      const phase = sql`case when ${threads.phase} = ${CLOSED} then ${CLOSED} else ${state.stage} end`;
      db.insert(threads)
        .values({ id: state.id, phase: state.stage, runId: state.runId, state })
        .onConflictDoUpdate({
          target: threads.id,
          set: { phase, runId: state.runId, state, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))` },
        })
        .run();
    },
    unfinished() {
      return db
        .select()
        .from(threads)
        .where(sql`${threads.phase} not in ('brief', 'brief_review', ${CLOSED})`)
        .all()
        .map((r) => rowState(r)!);
    },
    byRun(runId) {
      return rowState(db.select().from(threads).where(eq(threads.runId, runId)).get());
    },
    linkMessage(platform, channel, messageId, link) {
      const { threadId, kind, ref, rev } = link;
      db.insert(botMessages)
        .values({ key: msgKey(platform, channel, messageId), threadId, kind, ref, rev })
        .onConflictDoUpdate({ target: botMessages.key, set: { threadId, kind, ref, rev } })
        .run();
    },
    findMessage(platform, channel, messageId) {
      const row = db
        .select()
        .from(botMessages)
        .where(eq(botMessages.key, msgKey(platform, channel, messageId)))
        .get();
      return row
        ? { threadId: row.threadId, kind: row.kind as MessageKind, ref: row.ref, rev: row.rev }
        : undefined;
    },
    firstDelivery(key) {
      return db.insert(seenEvents).values({ key }).onConflictDoNothing().run().changes === 1;
    },
    pruneDeliveries(olderThanMs) {
      const cutoff = new Date(Date.now() - olderThanMs).toISOString();
      return db.delete(seenEvents).where(sql`${seenEvents.receivedAt} < ${cutoff}`).run().changes;
    },
    close(id) {
      db.update(threads).set({ phase: CLOSED }).where(eq(threads.id, id)).run();
    },
  };
}
