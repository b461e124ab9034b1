import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { LeaseHeldError } from '../../src/pipeline/lease.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { executions, tempApp } from '../helpers/app.ts';

let a: ReturnType<typeof tempApp> | undefined;
let b: ReturnType<typeof createApp> | undefined;
afterEach(() => {
  b?.close();
  a?.cleanup();
  a = b = undefined;
});

/**
 * What the bot does at start when another process (an `adgen resume`) already works a run: its
 * pipeline calls wait quietly for the lease instead of failing the thread, then continue from
 * the stored steps without redoing them.
 */
describe('a second process on the same database', () => {
  it('waits for the holder to let go, then continues without redoing its steps', async () => {
    a = tempApp({ ADGEN_LEASE_TTL_MS: '400' });
    b = createApp(
      loadConfig({ ADGEN_DATA_DIR: a.dir, ADGEN_FORCE_OFFLINE: 'true', ADGEN_LEASE_TTL_MS: '400' }),
    );
    const runId = await a.pipeline.createRun('run-shared', newRunInput(DEMO_BRIEF, { profile: 'tiny' }));
    const events: string[] = [];
    let waiting: Promise<unknown> | undefined;
    await a.leases.withLease(runId, async () => {
      await a!.pipeline.moodBoards(runId);
      events.push('a: moods');
      // The second process cannot take the run now: a refusal names the holder, a pipeline call waits.
      await expect(b!.leases.withLease(runId, async () => 'x')).rejects.toBeInstanceOf(LeaseHeldError);
      waiting = b!.pipeline.moodBoards(runId).then(() => events.push('b: moods'));
      await new Promise((r) => setTimeout(r, 900)); // two TTLs: A keeps renewing, B keeps waiting
      events.push('a: done');
    });
    await waiting;
    expect(events).toEqual(['a: moods', 'a: done', 'b: moods']);
    for (const [id, s] of executions(a.db, runId)) expect(s.executions, id).toBe(1);
  });
});
