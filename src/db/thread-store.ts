import { eq, inArray, sql } from 'drizzle-orm';
import type { ThreadState, ThreadStore } from '../bot/core/thread-state.ts';
import type { Db } from './client.ts';
import { botMessages, seenEvents, threads } from './schema.ts';

/** SQLite implementation of the bot core's ThreadStore port. */
export function createThreadStore(db: Db): ThreadStore {
  const msgKey = (platform: string, channel: string, id: string) => `${platform}:${channel}:${id}`;
  return {
    get(id) {
      return db.select().from(threads).where(eq(threads.id, id)).get()?.state as ThreadState | undefined;
    },
    save(state) {
      db.insert(threads)
        .values({ id: state.id, phase: state.phase, runId: state.runId, state })
        .onConflictDoUpdate({
          target: threads.id,
          set: {
            phase: state.phase,
            runId: state.runId,
            state,
            updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`,
          },
        })
        .run();
    },
    unfinished() {
      return db
        .select()
        .from(threads)
        .where(inArray(threads.phase, ['moods', 'storyboard', 'rendering']))
        .all()
        .map((r) => r.state as ThreadState);
    },
    linkMessage(platform, channel, messageId, threadId, kind, ref) {
      db.insert(botMessages)
        .values({ key: msgKey(platform, channel, messageId), threadId, kind, ref })
        .onConflictDoUpdate({ target: botMessages.key, set: { threadId, kind, ref } })
        .run();
    },
    findMessage(platform, channel, messageId) {
      const row = db
        .select()
        .from(botMessages)
        .where(eq(botMessages.key, msgKey(platform, channel, messageId)))
        .get();
      return row ? { threadId: row.threadId, kind: row.kind as never, ref: row.ref } : undefined;
    },
    firstDelivery(key) {
      return db.insert(seenEvents).values({ key }).onConflictDoNothing().run().changes === 1;
    },
  };
}
