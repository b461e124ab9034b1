import { afterEach, describe, expect, it } from 'vitest';
import { tempDb } from '../helpers/db.ts';

let env: ReturnType<typeof tempDb>;
afterEach(() => env?.cleanup());

async function setup() {
  env = tempDb('adgen-intents-');
  await env.runs.create({ id: 'r1', title: 't', input: {} });
  await env.runs.create({ id: 'r2', title: 't', input: {} });
  return env.stores.intents;
}
const intent = (stepId: string, runId = 'r1') => ({
  runId,
  stepId,
  kind: 'create' as const,
  nonce: `n-${stepId}`,
  inputHash: 'h',
  createdMs: 1000,
});

describe('SQLite intent store', () => {
  it('opens an intent once and keeps the first one when opened again', async () => {
    const store = await setup();
    expect(await store.get('r1', 'a')).toBeUndefined();
    const first = await store.open(intent('a'));
    expect(first).toMatchObject({ status: 'open', externalId: null, nonce: 'n-a', createdMs: 1000 });
    const again = await store.open({ ...intent('a'), nonce: 'other', createdMs: 5000 });
    expect(again).toEqual(first);
  });

  it('records the provider id and closes the intent', async () => {
    const store = await setup();
    await store.open(intent('a'));
    await store.settle('r1', 'a', 'pred-1');
    expect(await store.get('r1', 'a')).toMatchObject({ status: 'done', externalId: 'pred-1' });
    await store.open(intent('b'));
    await store.abandon('r1', 'b');
    expect((await store.get('r1', 'b'))?.status).toBe('abandoned');
  });

  it('adopts the first candidate nobody has claimed, in any run, by intent or by prediction', async () => {
    const store = await setup();
    await store.open(intent('a'));
    await store.settle('r1', 'a', 'p1'); // claimed by another step's intent
    await env.runs.recordSubmit({ runId: 'r2', stepId: 'x', model: 'm', providerId: 'p2', costUsd: 0 });
    await store.open(intent('b'));
    expect(await store.adoptFirstUnclaimed('r1', 'b', ['p1', 'p2', 'p3', 'p4'])).toBe('p3');
    expect(await store.get('r1', 'b')).toMatchObject({ status: 'done', externalId: 'p3' });
    await store.open(intent('c'));
    expect(await store.adoptFirstUnclaimed('r1', 'c', ['p1', 'p3'])).toBeUndefined();
    expect((await store.get('r1', 'c'))?.status).toBe('open');
  });

  it('never hands one prediction to two steps adopting at the same time', async () => {
    const store = await setup();
    const steps = ['s1', 's2', 's3'];
    for (const s of steps) await store.open(intent(s));
    const adopted = await Promise.all(steps.map((s) => store.adoptFirstUnclaimed('r1', s, ['p1', 'p2'])));
    expect(adopted.filter(Boolean).sort()).toEqual(['p1', 'p2']);
    expect(adopted.filter((x) => x === undefined)).toHaveLength(1);
  });
});
