import { z } from 'zod';
import type { Incoming } from './ports.ts';

/**
 * What travels through a thread's lane (JobQueue.publishEvent, keyed by thread id). The gateway
 * publishes received events; a worker publishes `sync` after a run job so the thread shows the
 * result: every write to a thread's bookkeeping happens in its lane, one process at a time.
 * Read back from the database, so parsed, not trusted.
 */
const ThreadRefSchema = z.object({
  platform: z.enum(['slack', 'discord', 'console']),
  channel: z.string().min(1),
  thread: z.string().min(1),
  rootMessage: z.object({ channel: z.string(), messageId: z.string() }).optional(),
});
const IncomingSchema = z
  .object({
    type: z.enum(['command', 'message', 'action', 'reaction']),
    eventId: z.string(),
    user: z.string(),
    thread: ThreadRefSchema.optional(),
  })
  .loose();

export const LanePayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('started'), threadId: z.string(), idea: z.string(), meaningful: z.boolean() }),
  z.object({ kind: z.literal('event'), event: IncomingSchema }),
  z.object({ kind: z.literal('sync'), runId: z.string() }),
]);

export type LanePayload =
  | { kind: 'started'; threadId: string; idea: string; meaningful: boolean }
  | { kind: 'event'; event: Exclude<Incoming, { type: 'command' }> }
  | { kind: 'sync'; runId: string };

export function parseLanePayload(raw: unknown): LanePayload {
  return LanePayloadSchema.parse(raw) as LanePayload;
}
