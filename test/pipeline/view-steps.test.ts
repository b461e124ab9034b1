import { describe, expect, it } from 'vitest';
import type { StepRecord, StepStore } from '../../src/pipeline/engine.ts';
import { viewSteps } from '../../src/pipeline/view-steps.ts';

/** A store that counts its reads; records are set by the test. */
function countingStore(records: Map<string, StepRecord>) {
  const reads = { one: 0, run: 0 };
  const store = {
    load: async (_runId: string, stepId: string) => {
      reads.one++;
      const r = records.get(stepId);
      return r ? structuredClone(r) : undefined;
    },
    loadRun: async () => {
      reads.run++;
      return structuredClone(records);
    },
    begin: async () => {},
    succeed: async () => {},
    fail: async () => {},
    transaction: async () => undefined,
  } as unknown as StepStore;
  return { store, reads };
}

const rec = (status: StepRecord['status'], result: unknown): StepRecord =>
  ({ status, result, error: null, errorCode: null, retryable: null }) as unknown as StepRecord;

describe("a view reads its run's steps at once", () => {
  it('one read of the run for every look, found or not; copies; starts nothing', async () => {
    const records = new Map([['moods/m0', rec('succeeded', { moods: ['a', 'b'] })]]);
    const { store, reads } = countingStore(records);
    const view = viewSteps(store, 'r1');
    const first = await view.load('r1', 'moods/m0');
    (first!.result as { moods: string[] }).moods.push('changed by a view');
    expect((await view.load('r1', 'moods/m0'))!.result).toEqual({ moods: ['a', 'b'] });
    expect(await view.load('r1', 'scene-0/image/k/refetch/collect')).toBeUndefined();
    expect(await view.load('r1', 'scene-0/image/k/again/collect')).toBeUndefined();
    expect(reads).toEqual({ one: 0, run: 1 });
    // Another run's step is read from the store itself, not from this run's snapshot.
    expect(await view.load('r2', 'moods/m0')).toMatchObject({ status: 'succeeded' });
    expect(reads).toEqual({ one: 1, run: 1 });
    await expect(view.begin('r1', 'scene-0/clip')).rejects.toThrow(/nothing to estimate yet/);
  });

  it('the next view sees what changed since: a snapshot lives as long as its view', async () => {
    const records = new Map<string, StepRecord>();
    const { store, reads } = countingStore(records);
    expect(await viewSteps(store, 'r1').load('r1', 'render/x')).toBeUndefined();
    records.set('render/x', rec('running', null));
    expect((await viewSteps(store, 'r1').load('r1', 'render/x'))!.status).toBe('running');
    records.set('render/x', rec('succeeded', { path: 'ad.mp4' }));
    expect((await viewSteps(store, 'r1').load('r1', 'render/x'))!.status).toBe('succeeded');
    expect(reads.run).toBe(3);
  });
});
