import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../src/pipeline/limit.ts';

const gate = () => {
  let open!: () => void;
  const p = new Promise<void>((r) => {
    open = r;
  });
  return { p, open };
};

describe('the media limiter', () => {
  it('runs at most n at once, the rest in order; a task marked first goes ahead of those waiting', async () => {
    const limit = createLimiter(1);
    const order: string[] = [];
    const busy = gate();
    const running = limit(async () => {
      order.push('busy');
      await busy.p;
    });
    const queued = ['a', 'b'].map((n) => limit(async () => void order.push(n)));
    const urgent = limit(async () => void order.push('urgent'), { first: true });
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual(['busy']); // nothing else started while the slot was taken
    busy.open();
    await Promise.all([running, ...queued, urgent]);
    expect(order).toEqual(['busy', 'urgent', 'a', 'b']);
  });

  it('background work waits while other work waits, and takes a slot only when none does', async () => {
    const limit = createLimiter(1);
    const order: string[] = [];
    const busy = gate();
    const running = limit(async () => {
      order.push('busy');
      await busy.p;
    });
    const preview = limit(async () => void order.push('preview'), { background: true });
    const clip = limit(async () => void order.push('clip'));
    busy.open();
    await Promise.all([running, preview, clip]);
    expect(order).toEqual(['busy', 'clip', 'preview']);
    // With a free slot and nobody waiting it starts at once.
    await limit(async () => void order.push('alone'), { background: true });
    expect(order.at(-1)).toBe('alone');
  });
});
