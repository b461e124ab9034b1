import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { type CliResult, runCli, startCli } from '../helpers/cli-run.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';

const HELD = /run run-[0-9a-f]+ is being worked by [^\s:]+:(\d+):[0-9a-f]+ until \d\d:\d\d:\d\d UTC/;

/**
 * Two processes on one run (two `adgen resume`, or a resume while the render still runs): the
 * old code let both work it and pay (20 creates for 14). Now exactly one holds the run's lease
 * and the other refuses, naming the holder and its expiry.
 */
describe('two processes on one run (real clients)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let query: ReturnType<typeof dbQuery>;
  let briefFile: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-two-'));
    query = dbQuery(dir);
    fakes = await startFakes({ latencyMs: { image: 300, video: 2_500, audio: 2_500 } });
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_LEASE_TTL_MS: '1500',
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
    briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
  });
  afterEach(async () => {
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const runId = () => query<{ id: string }>('select id from runs')[0]!.id;
  const assertPaidOnce = async (out: string, label: string) => {
    const rows = query<{ provider_id: string; status: string }>(
      'select provider_id, status from predictions',
    );
    console.log(`${label}: creates=${fakes.replicate.stats.creates} needed=${rows.length}`);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(fakes.replicate.stats.creates).toBe(rows.length);
    expect(Math.abs((await probeMedia(out)).durationS - 30)).toBeLessThan(0.3);
  };

  it('refuses a resume while the render works the run, naming the render process', async () => {
    const out = path.join(dir, 'ad.mp4');
    const render = startCli(['render', '--brief', briefFile, '--out', out, '--profile', 'tiny'], env);
    await waitUntil(
      () => query<{ n: number }>('select count(*) as n from runs where lease_owner is not null')[0]!.n === 1,
      60_000,
      'the render to take its lease',
    );
    const second = await runCli(['resume', runId()], env);
    const first = await render.done;
    expect(first.status, first.stderr).toBe(0);
    expect(second.status).toBe(3);
    expect(second.stderr).toMatch(HELD);
    expect(Number(HELD.exec(second.stderr)![1])).toBe(render.child.pid);
    expect(second.stderr).toMatch(/add --wait/);
    await assertPaidOnce(out, 'resume during render');
  });

  it('lets exactly one of two resumes started at once work a crashed run', async () => {
    const out = path.join(dir, 'ad.mp4');
    // Kill the render with mood-image creates in flight, so the survivor also has to reconcile.
    fakes.replicate.late.add({ match: (p) => p.model.includes('flux'), holdMs: 20_000 });
    const render = startCli(['render', '--brief', briefFile, '--out', out, '--profile', 'tiny'], env);
    await waitUntil(() => fakes.replicate.late.inFlight() >= 1, 60_000, 'an image create to be in flight');
    const inFlightAtKill = fakes.replicate.late.inFlight();
    render.child.kill('SIGKILL');
    await render.done;
    expect(inFlightAtKill).toBeGreaterThan(0);
    fakes.replicate.late.clear();
    // Let the dead process's lease run out, then start both at the same moment.
    await waitUntil(
      () =>
        query<{ n: number }>(`select count(*) as n from runs where lease_expires_at < ${Date.now()}`)[0]!
          .n === 1,
      10_000,
      "the killed render's lease to expire",
    );
    await new Promise((r) => setTimeout(r, 100));
    const results: CliResult[] = await Promise.all([
      runCli(['resume', runId()], env),
      runCli(['resume', runId()], env),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, results.map((r) => r.stderr).join('\n---\n')).toEqual([0, 3]);
    expect(results.find((r) => r.status === 3)!.stderr).toMatch(HELD);
    console.log(`two resumes: in flight at kill=${inFlightAtKill}`);
    await assertPaidOnce(out, 'two resumes after a crash mid-create');
  });
});
