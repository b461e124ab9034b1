import { describe, expect, it } from 'vitest';
import type { StepRecord, StepStore } from '../../src/pipeline/engine.ts';
import { viewSteps } from '../../src/pipeline/view-steps.ts';

/** A store that counts its loads; records are set by the test. */
function countingStore(records: Map<string, StepRecord>) {
  let loads = 0;
  const store = {
    load: async (_runId: string, stepId: string) => {
      loads++;
      const r = records.get(stepId);
      return r ? structuredClone(r) : undefined;
    },
    begin: async () => {},
    succeed: async () => {},
    fail: async () => {},
    transaction: async () => undefined,
  } as unknown as StepStore;
  return { store, loads: () => loads };
}

const rec = (status: StepRecord['status'], result: unknown): StepRecord =>
  ({ status, result, error: null, errorCode: null, retryable: null }) as unknown as StepRecord;

describe('views read succeeded steps from memory', () => {
  it('keeps a succeeded record, reads anything else again, hands out copies, starts nothing', async () => {
    const records = new Map([['moods/m0', rec('succeeded', { moods: ['a', 'b'] })]]);
    const { store, loads } = countingStore(records);
    const view = viewSteps(store);
    const first = await view.load('r1', 'moods/m0');
    (first!.result as { moods: string[] }).moods.push('changed by a view');
    expect((await view.load('r1', 'moods/m0'))!.result).toEqual({ moods: ['a', 'b'] });
    expect(loads()).toBe(1);
    // Not there yet, then running, then done: each look reads the store until it succeeded.
    expect(await view.load('r1', 'render/x')).toBeUndefined();
    records.set('render/x', rec('running', null));
    expect((await view.load('r1', 'render/x'))!.status).toBe('running');
    records.set('render/x', rec('succeeded', { path: 'ad.mp4' }));
    expect((await view.load('r1', 'render/x'))!.status).toBe('succeeded');
    await view.load('r1', 'render/x');
    expect(loads()).toBe(4);
    // Another run's step of the same id is its own record.
    expect(await view.load('r2', 'moods/m0')).toMatchObject({ status: 'succeeded' });
    expect(loads()).toBe(5);
    await expect(view.begin('r1', 'scene-0/clip')).rejects.toThrow(/nothing to estimate yet/);
  });
});
