import { createLimiter } from '../limit.ts';
import { type JobHandlers, type JobQueue, keepSample, type QueueMetrics, type RunJobKind } from './ports.ts';

/**
 * The embedded queue of `adgen bot` on SQLite: lanes are promise chains per key, run jobs start
 * at once (renders bounded by `renderConcurrency`). Nothing outlives the process: after a restart
 * the bot re-publishes the work of unfinished runs from the database (bot.resumeAll).
 * `publishEvent` resolves when the event has been handled, as the single-process bot always did.
 */
export function createInProcessQueue(opts: {
  renderConcurrency: number;
  onPickup?: (queue: string, ms: number) => void;
}): JobQueue {
  const lanes = new Map<string, Promise<void>>();
  const running = new Map<Promise<void>, AbortController>();
  const renders = createLimiter(opts.renderConcurrency);
  const active: Record<string, number> = {};
  const waiting: Record<string, number> = {};
  const pickupMs: number[] = [];
  let handlers: JobHandlers | undefined;
  let stopped = false;

  const need = (): JobHandlers => {
    if (!handlers) throw new Error('the in-process queue has no worker (call work() first)');
    return handlers;
  };
  const bump = (m: Record<string, number>, k: string, by: number) => {
    m[k] = (m[k] ?? 0) + by;
  };

  return {
    durable: false,
    publishEvent(key, payload) {
      const h = need();
      const at = Date.now();
      bump(waiting, 'events', 1);
      const work = async () => {
        bump(waiting, 'events', -1);
        keepSample(pickupMs, Date.now() - at);
        opts.onPickup?.('events', Date.now() - at);
        bump(active, 'events', 1);
        try {
          await h.event(key, payload);
        } finally {
          bump(active, 'events', -1);
        }
      };
      const next = (lanes.get(key) ?? Promise.resolve()).then(work, work);
      lanes.set(key, next);
      return next.finally(() => {
        if (lanes.get(key) === next) lanes.delete(key);
      });
    },
    async publishRun(kind: RunJobKind, runId: string) {
      if (stopped) return;
      const h = need();
      const at = Date.now();
      const controller = new AbortController();
      bump(waiting, kind, 1);
      const job = async (slotFreeAt = at) => {
        bump(waiting, kind, -1);
        const picked = Date.now() - Math.max(at, slotFreeAt); // waiting for a render slot is queueing
        keepSample(pickupMs, picked);
        opts.onPickup?.(kind, picked);
        bump(active, kind, 1);
        try {
          await h.run(kind, runId, controller.signal);
        } finally {
          bump(active, kind, -1);
        }
      };
      const p: Promise<void> = (kind === 'render' ? renders(() => job(Date.now())) : job())
        .catch(() => undefined) // handlers report their own failures; nothing waits for this one
        .finally(() => running.delete(p));
      running.set(p, controller);
    },
    async work(h) {
      handlers = h;
    },
    async stop(graceMs) {
      stopped = true;
      const all = () => Promise.all([...running.keys()]);
      const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
      if ((await Promise.race([all(), timer])) === 'late') {
        for (const c of running.values()) c.abort(new Error('shutting down: handing the job back'));
        await all();
      }
    },
    async metrics(): Promise<QueueMetrics> {
      return { depth: { ...waiting }, active: { ...active }, pickupMs: [...pickupMs] };
    },
  };
}
