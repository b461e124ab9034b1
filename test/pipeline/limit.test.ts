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
});
