import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { NonRetryableError } from '../../src/errors.ts';
import { createApp } from '../../src/main.ts';
import { RunContext } from '../../src/pipeline/engine.ts';
import type { Llm } from '../../src/pipeline/providers/ports.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { selectProviders } from '../../src/select-providers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-codes-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

const failedSteps = (app: ReturnType<typeof createApp>, runId: string) =>
  app.db.$client
    .prepare(
      "select step_id, error, error_code, retryable, attempts from steps where run_id = ? and status = 'failed'",
    )
    .all(runId);

describe('typed error codes on failed steps (issue 8 point 12)', () => {
  it('a resumed run (a new app on the same database) reports the same reason and code', async () => {
    const base = selectProviders(config).providers;
    let planned = 0;
    const llm: Llm = Object.create(base.llm);
    llm.planMoods = async () => {
      planned++;
      throw new NonRetryableError('content_policy', 'the planner refused this brief');
    };
    const first = createApp(config, { providers: { ...base, llm } });
    await first.workflow.createRun('r-code', newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
    const failed = await first.workflow.advance('r-code');
    expect(failed).toMatchObject({ phase: 'failed', errorCode: 'content_policy' });
    expect(failed.error).toMatch(/the planner refused this brief/);
    expect(planned).toBe(1); // not retried: retrying cannot help
    const steps = failedSteps(first, 'r-code');
    first.close();

    const second = createApp(config);
    const resumed = await second.workflow.view('r-code');
    expect(resumed).toMatchObject({ phase: 'failed', errorCode: 'content_policy', error: failed.error });
    expect(failedSteps(second, 'r-code')).toEqual(steps);
    expect(steps).toEqual([
      expect.objectContaining({ error_code: 'content_policy', retryable: 0, attempts: 1 }),
    ]);
    second.close();
  });

  it('an untyped error is stored as internal and retryable, after its attempts', async () => {
    const app = createApp(config);
    await app.runs.create({ id: 'r-internal', title: 't', input: {} });
    const rc = new RunContext('r-internal', app.stores.steps, new AbortController().signal, {
      attempts: 2,
      baseDelayMs: 1,
      maxDelayMs: 1,
    });
    await expect(
      rc.step('flaky', async () => {
        throw new Error('socket hang up');
      }),
    ).rejects.toThrow(/socket hang up/);
    expect(await app.stores.steps.load('r-internal', 'flaky')).toMatchObject({
      status: 'failed',
      error: 'socket hang up',
      errorCode: 'internal',
      retryable: true,
    });
    expect(failedSteps(app, 'r-internal')).toEqual([expect.objectContaining({ attempts: 2 })]);
    app.close();
  });
});
