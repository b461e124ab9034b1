import { describe, expect, it } from 'vitest';
import { createMemoryStores, emptyState } from '../../src/db/memory-stores.ts';
import { adgenMetrics } from '../../src/ops/adgen-metrics.ts';
import { instrumentStores, MetricsRegistry } from '../../src/ops/index.ts';

const submit = (stepId: string, costUsd: number) => ({
  runId: 'r1',
  stepId,
  model: 'm',
  providerId: `p-${stepId}`,
  costUsd,
});

describe('store instrumentation (renders in flight, step failures, spend)', () => {
  it('counts what the stores commit, and nothing a rolled-back transaction wrote', async () => {
    const state = emptyState();
    const m = adgenMetrics(new MetricsRegistry());
    const s = instrumentStores(createMemoryStores(state), m);
    // Another process on the same data, with its own metrics.
    const otherM = adgenMetrics(new MetricsRegistry());
    const other = instrumentStores(createMemoryStores(state), otherM);
    await s.runs.create({ id: 'r1', title: 't', input: {} });
    await s.runs.create({ id: 'r2', title: 't', input: {} });

    expect(await s.leases.acquire('r1', 'me', 1000, 0)).toBeNull();
    expect(await s.leases.acquire('r2', 'me', 1000, 0)).toBeNull();
    expect(await other.leases.acquire('r2', 'other', 1000, 10)).not.toBeNull(); // refused: not expired
    expect([m.rendersInFlight.value(), otherM.rendersInFlight.value()]).toEqual([2, 0]);
    expect(await other.leases.acquire('r2', 'other', 1000, 1500)).toBeNull(); // expired: taken over
    expect(await s.leases.renew('r2', 'me', 1000, 1600)).toBe(false); // we learn we lost it
    expect([m.rendersInFlight.value(), otherM.rendersInFlight.value()]).toEqual([1, 1]);
    await s.leases.release('r1', 'me');
    expect(m.rendersInFlight.value()).toBe(0);

    await s.steps.begin('r1', 'clip-0');
    await s.steps.fail('r1', 'clip-0', { error: 'x', code: 'ffmpeg_failed', retryable: false }, 3);
    await s.steps.fail('r1', 'clip-1', { error: 'x', code: 'ffmpeg_failed', retryable: false }, 3);
    expect(m.stepFailures.value({ code: 'ffmpeg_failed' })).toBe(2);

    await s.steps.transaction(async (tx) => {
      await tx.succeed('r1', 'img/submit', { id: 'p' }, 1, 1);
      await tx.runs.recordSubmit(submit('img', 0.04));
    });
    await expect(
      s.steps.transaction(async (tx) => {
        await tx.runs.recordSubmit(submit('vid', 0.5));
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash');
    await s.runs.recordSubmit(submit('music', 0.01));
    expect(m.spendUsd.value()).toBeCloseTo(0.05, 10);
    expect(await s.runs.spendUsd('r1')).toBeCloseTo(0.05, 10);
  });
});
