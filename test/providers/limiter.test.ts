import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/errors.ts';
import { createPredictionLimiter, type Slot } from '../../src/pipeline/providers/replicate/limiter.ts';

describe('prediction limiter', () => {
  it('caps predictions in flight and hands slots over in order', async () => {
    const l = createPredictionLimiter({ maxInFlight: 2, createsPerWindow: 100 });
    const a = await l.acquire();
    const b = await l.acquire();
    const order: string[] = [];
    const track = (name: string) => (s: Slot) => {
      order.push(name);
      return s;
    };
    const c = l.acquire().then(track('c'));
    const d = l.acquire().then(track('d'));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    expect(l.stats()).toMatchObject({ inFlight: 2, waiting: 2 });
    a.release();
    a.release(); // idempotent: must not free a second slot
    await c;
    expect(order).toEqual(['c']);
    b.release();
    (await d).release();
    expect(order).toEqual(['c', 'd']);
    expect(l.stats().peakInFlight).toBe(2);
  });

  it('gives a free slot to the oldest run first (lower priority value), FIFO among equals', async () => {
    const l = createPredictionLimiter({ maxInFlight: 1, createsPerWindow: 100 });
    const held = await l.acquire(undefined, 0);
    const order: string[] = [];
    const wait = (name: string, priority: number) =>
      l.acquire(undefined, priority).then((s) => {
        order.push(name);
        s.release();
      });
    const all = [wait('new-a', 300), wait('old', 100), wait('new-b', 300), wait('mid', 200)];
    held.release();
    await Promise.all(all);
    expect(order).toEqual(['old', 'mid', 'new-a', 'new-b']);
  });

  it('a waiter that is cancelled leaves the queue', async () => {
    const l = createPredictionLimiter({ maxInFlight: 1, createsPerWindow: 100 });
    const held = await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(ac.signal);
    ac.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
    held.release();
    expect(l.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it('keeps creates under the rate window', async () => {
    const l = createPredictionLimiter({ maxInFlight: 10, createsPerWindow: 3, windowMs: 200 });
    const start = Date.now();
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, () => l.beforeCreate().then(() => times.push(Date.now() - start))),
    );
    times.sort((x, y) => x - y);
    expect(times.slice(0, 3).every((t) => t < 50)).toBe(true);
    expect(times[3]).toBeGreaterThanOrEqual(190);
  });

  it('a 429 pause holds every create until it ends', async () => {
    const l = createPredictionLimiter({ maxInFlight: 10, createsPerWindow: 100 });
    l.pause(150);
    const start = Date.now();
    await Promise.all([l.beforeCreate(), l.beforeCreate()]);
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
  });
});
