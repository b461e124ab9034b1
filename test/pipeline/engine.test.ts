import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, NonRetryableError, RetryAfterError } from '../../src/errors.ts';
import { RunContext, retryDelayMs, StepFailedError } from '../../src/pipeline/engine.ts';
import { tempDb } from '../helpers/db.ts';

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
let env: ReturnType<typeof tempDb>;
afterEach(() => env?.cleanup());

async function setup(runId = 'r1') {
  env = tempDb();
  await env.runs.create({ id: runId, title: 't', input: {} });
  return new RunContext(runId, env.steps, new AbortController().signal, fast);
}

describe('durable engine', () => {
  it('returns a stored success without running the step again', async () => {
    const rc = await setup();
    let calls = 0;
    const fn = async () => ({ n: ++calls });
    expect(await rc.step('a', fn)).toEqual({ n: 1 });
    const again = new RunContext('r1', env.steps, new AbortController().signal, fast);
    expect(await again.step('a', fn)).toEqual({ n: 1 });
    expect(calls).toBe(1);
  });

  it('runs a stored step again when its result is not reusable here (files on another machine)', async () => {
    const rc = await setup();
    let calls = 0;
    const fn = async () => ({ n: ++calls });
    await rc.step('local', fn);
    const here = new Set<number>();
    const reusable = async (r: { n: number }) => here.has(r.n);
    expect(await rc.step('local', fn, { reusable })).toEqual({ n: 2 });
    here.add(2);
    expect(await rc.step('local', fn, { reusable })).toEqual({ n: 2 });
    expect(calls).toBe(2);
  });

  it('shares one execution between concurrent callers of the same step', async () => {
    const rc = await setup();
    let calls = 0;
    const fn = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return 'x';
    };
    expect(await Promise.all([rc.step('a', fn), rc.step('a', fn)])).toEqual(['x', 'x']);
    expect(calls).toBe(1);
  });

  it('retries ordinary errors and stops at the attempt cap', async () => {
    const rc = await setup();
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error('502 bad gateway');
      return 'ok';
    };
    expect(await rc.step('a', flaky)).toBe('ok');
    expect(calls).toBe(3);
    const always = async () => {
      throw new Error('down');
    };
    await expect(rc.step('b', always)).rejects.toBeInstanceOf(StepFailedError);
    expect(await env.steps.load('r1', 'b')).toMatchObject({ status: 'failed', error: 'down' });
  });

  it('never retries a NonRetryableError', async () => {
    const rc = await setup();
    let calls = 0;
    const fn = async () => {
      calls++;
      throw new NonRetryableError('content_policy', 'flagged by the safety filter');
    };
    await expect(rc.step('a', fn)).rejects.toThrow(/flagged by the safety filter/);
    expect(calls).toBe(1);
  });

  it('waits as long as Retry-After says', () => {
    const err = new RetryAfterError(7000, '429');
    expect(retryDelayMs(err, 1, fast)).toBe(7000);
    const d = retryDelayMs(new Error('x'), 3, { attempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 }, () => 1);
    expect(d).toBe(400);
  });

  it('stops on cancellation and does not record a success', async () => {
    env = tempDb();
    await env.runs.create({ id: 'r1', title: 't', input: {} });
    const ac = new AbortController();
    const rc = new RunContext('r1', env.steps, ac.signal, fast);
    let entered!: () => void;
    const inside = new Promise<void>((r) => {
      entered = r;
    });
    const p = rc.step('slow', async ({ signal }) => {
      entered();
      await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new CancelledError())));
    });
    // The store is async now: abort once the step is really inside its function.
    await inside;
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
    expect((await env.steps.load('r1', 'slow'))?.status).toBe('running');
    await expect(rc.step('next', async () => 1)).rejects.toBeInstanceOf(CancelledError);
  });

  it('resumes a step that was running when the process died, saying it was interrupted', async () => {
    const rc = await setup();
    await env.steps.begin('r1', 'crashed');
    expect((await env.steps.load('r1', 'crashed'))?.status).toBe('running');
    const seen: boolean[] = [];
    const redo = async (info: { interrupted: boolean }) => {
      seen.push(info.interrupted);
      return 'redone';
    };
    expect(await rc.step('crashed', redo)).toBe('redone');
    expect(await rc.step('fresh', redo)).toBe('redone');
    expect(seen).toEqual([true, false]);
    const row = env.db.$client.prepare('select executions from steps where step_id = ?').get('crashed') as {
      executions: number;
    };
    expect(row.executions).toBe(2);
  });

  it('writes alsoWrite data atomically with the step result', async () => {
    const rc = await setup();
    await rc.step('submit', async () => ({ id: 'p1' }), {
      alsoWrite: (j, runs) =>
        runs.recordSubmit({ runId: 'r1', stepId: 's', model: 'm', providerId: j.id, costUsd: 0.5 }),
    });
    expect(await env.runs.openPredictions('r1')).toEqual([{ stepId: 's', model: 'm', providerId: 'p1' }]);
    expect(await env.runs.spendUsd('r1')).toBe(0.5);
  });
});
