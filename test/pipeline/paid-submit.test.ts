import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunContext } from '../../src/pipeline/engine.ts';
import type { PipelineEnv, RunScope } from '../../src/pipeline/env.ts';
import type { AsyncGen, GenContext, Job } from '../../src/pipeline/providers/ports.ts';
import { generate } from '../../src/pipeline/steps/generate.ts';
import { createNonce } from '../../src/pipeline/steps/paid-submit.ts';
import { tempDb } from '../helpers/db.ts';

let env: ReturnType<typeof tempDb> | undefined;
const t = () => env!;
afterEach(() => {
  env?.cleanup();
  env = undefined;
});

/** A paid provider that records what it was asked; `held` is what its list would show. */
function paidGen(held: Job[] = [], withReconcile = true) {
  const calls = { submits: [] as GenContext[], reconciles: [] as number[], collected: [] as string[] };
  let n = 0;
  const gen: AsyncGen<{ prompt: string }> = {
    model: 'acme/paid',
    async submit(_input, ctx) {
      calls.submits.push(ctx);
      // The intent is on disk before the create goes out.
      const row = t().db.$client.prepare('select status from intents where step_id = ?').get('img') as
        | { status: string }
        | undefined;
      expect(row?.status).toBe('open');
      return { id: `new-${++n}` };
    },
    async collect(job, _input, ctx) {
      calls.collected.push(job.id);
      // A real (tiny) image: collected media is decoded before it is stored.
      const file = path.join(ctx.outDir, `${ctx.fileStem}.png`);
      execFileSync('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'color=c=red:s=64x64',
        '-frames:v',
        '1',
        file,
      ]);
      return { files: [file] };
    },
    ...(withReconcile && {
      async reconcile(_input, intent) {
        calls.reconciles.push(intent.createdMs);
        return held;
      },
    }),
  };
  return { gen, calls };
}

async function scope(): Promise<RunScope> {
  env = tempDb('adgen-paid-');
  await env.runs.create({ id: 'r1', title: 't', input: {} });
  const penv = {
    runs: env.runs,
    intents: env.stores.intents,
    dataDir: t().dir,
  } as unknown as PipelineEnv;
  const rc = new RunContext('r1', t().steps, new AbortController().signal, {
    attempts: 1,
    baseDelayMs: 1,
    maxDelayMs: 1,
  });
  return { env: penv, rc, input: {} as RunScope['input'] };
}

/** What a SIGKILL between "intent stored" and "id stored" leaves behind. */
async function crashedMidCreate(s: RunScope, settledWith?: string) {
  await t().steps.begin('r1', 'img/submit');
  await s.env.intents.open({
    runId: 'r1',
    stepId: 'img',
    kind: 'create',
    nonce: createNonce('r1', 'img'),
    inputHash: null,
    createdMs: Date.now() - 5_000,
  });
  if (settledWith) await s.env.intents.settle('r1', 'img', settledWith);
}

describe('paid submit: intent, then create, then id; reconcile on resume', () => {
  it('stores the intent before creating, passes its stable key, and the id after', async () => {
    const s = await scope();
    const { gen, calls } = paidGen();
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.submits).toHaveLength(1);
    expect(calls.submits[0]!.idempotencyKey).toBe(createNonce('r1', 'img'));
    expect(calls.reconciles).toEqual([]); // a fresh step has nothing to look for
    expect(await s.env.intents.get('r1', 'img')).toMatchObject({ status: 'done', externalId: 'new-1' });
  });

  it('adopts the prediction a dead process created instead of paying again', async () => {
    const s = await scope();
    await crashedMidCreate(s);
    const { gen, calls } = paidGen([{ id: 'orphan-1' }]);
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.submits).toHaveLength(0);
    expect(calls.collected).toEqual(['orphan-1']);
    expect(await t().runs.openPredictions('r1')).toEqual([]);
    expect(t().db.$client.prepare('select provider_id from predictions').get()).toEqual({
      provider_id: 'orphan-1',
    });
  });

  it('creates again only when the provider holds nothing for the intent', async () => {
    const s = await scope();
    await crashedMidCreate(s);
    const { gen, calls } = paidGen([]);
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.reconciles).toHaveLength(1);
    expect(calls.submits).toHaveLength(1);
    expect(calls.collected).toEqual(['new-1']);
  });

  it('never adopts a prediction another step already owns', async () => {
    const s = await scope();
    await t().runs.recordSubmit({
      runId: 'r1',
      stepId: 'other',
      model: 'acme/paid',
      providerId: 'theirs',
      costUsd: 0,
    });
    await crashedMidCreate(s);
    const { gen, calls } = paidGen([{ id: 'theirs' }]);
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.submits).toHaveLength(1);
    expect(calls.collected).toEqual(['new-1']);
  });

  it('uses the id stored on the intent when the crash came after it was returned', async () => {
    const s = await scope();
    await crashedMidCreate(s, 'known-1');
    const { gen, calls } = paidGen([{ id: 'known-1' }]);
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.submits).toHaveLength(0);
    expect(calls.reconciles).toHaveLength(0);
    expect(calls.collected).toEqual(['known-1']);
  });

  it('just creates again for a provider without reconcile (free, deterministic)', async () => {
    const s = await scope();
    await crashedMidCreate(s);
    const { gen, calls } = paidGen([], false);
    await generate(s, 'img', gen, { prompt: 'p' }, 'image');
    expect(calls.submits).toHaveLength(1);
  });
});
