import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PredictionFailedError } from '../../src/errors.ts';
import { RunContext } from '../../src/pipeline/engine.ts';
import type { PipelineEnv, RunScope } from '../../src/pipeline/env.ts';
import type { AsyncGen } from '../../src/pipeline/providers/ports.ts';
import { generate } from '../../src/pipeline/steps/generate.ts';
import { tempDb } from '../helpers/db.ts';

let db: ReturnType<typeof tempDb> | undefined;
afterEach(() => {
  db?.cleanup();
  db = undefined;
});

/** A paid provider whose outputs can expire (`gone`), counting creates and collects. */
function expiringGen() {
  const calls = { submits: 0, collected: [] as string[] };
  const state = { gone: new Set<string>() };
  const gen: AsyncGen<{ prompt: string }> = {
    model: 'acme/paid',
    async submit() {
      calls.submits++;
      return { id: `pred-${calls.submits}` };
    },
    async collect(job, _input, ctx) {
      calls.collected.push(job.id);
      if (state.gone.has(job.id)) throw new PredictionFailedError('prediction_gone', `${job.id} was deleted`);
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
  };
  return { gen, calls, state };
}

/** One worker: the shared stores, its own data folder. */
function worker(name: string): RunScope {
  const dataDir = path.join(db!.dir, name);
  fs.mkdirSync(dataDir, { recursive: true });
  const env = { runs: db!.runs, intents: db!.stores.intents, dataDir } as unknown as PipelineEnv;
  const rc = new RunContext('r1', db!.steps, new AbortController().signal, {
    attempts: 1,
    baseDelayMs: 1,
    maxDelayMs: 1,
  });
  return { env, rc, input: {} as RunScope['input'] };
}

describe('media without a shared disk (issue 11)', () => {
  it('a worker lacking the files re-collects the stored prediction; pays again only once it expired', async () => {
    db = tempDb('adgen-local-media-');
    await db.runs.create({ id: 'r1', title: 't', input: {} });
    const { gen, calls, state } = expiringGen();

    const [first] = await generate(worker('a'), 'img', gen, { prompt: 'p' }, 'image');
    expect(first!.startsWith(path.join(db.dir, 'a'))).toBe(true);

    // Worker b takes the run over: the step is stored, the file is on a's disk only.
    fs.rmSync(path.join(db.dir, 'a'), { recursive: true });
    const [onB] = await generate(worker('b'), 'img', gen, { prompt: 'p' }, 'image');
    expect(onB!.startsWith(path.join(db.dir, 'b'))).toBe(true);
    expect(fs.existsSync(onB!)).toBe(true);
    expect(calls.submits).toBe(1); // collected again, not created again
    expect(calls.collected).toEqual(['pred-1', 'pred-1']);

    // Worker b's next phase finds its own copy: nothing is fetched again.
    expect(await generate(worker('b'), 'img', gen, { prompt: 'p' }, 'image')).toEqual([onB]);
    expect(calls.collected).toHaveLength(2);
    fs.rmSync(path.join(db.dir, 'b'), { recursive: true });

    // Worker c, after the provider deleted the output: one new prediction, on record beside the old.
    state.gone.add('pred-1');
    const [onC] = await generate(worker('c'), 'img', gen, { prompt: 'p' }, 'image');
    expect(fs.existsSync(onC!)).toBe(true);
    expect(calls.submits).toBe(2);
    const rows = db.db.$client.prepare('select step_id, provider_id from predictions order by step_id').all();
    expect(rows).toEqual([
      { step_id: 'img', provider_id: 'pred-1' },
      { step_id: 'img/refetch', provider_id: 'pred-2' },
    ]);

    // Worker d re-collects the re-made one, paying nothing more.
    fs.rmSync(path.join(db.dir, 'c'), { recursive: true });
    const [onD] = await generate(worker('d'), 'img', gen, { prompt: 'p' }, 'image');
    expect(fs.existsSync(onD!)).toBe(true);
    expect(calls.submits).toBe(2);
    expect(calls.collected.at(-1)).toBe('pred-2');
  });
});
