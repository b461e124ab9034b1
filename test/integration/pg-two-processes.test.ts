import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { type CliResult, runCli, startCli } from '../helpers/cli-run.ts';
import { startFakes } from '../helpers/fakes.ts';
import { describePg, freshPgDatabase } from '../helpers/pg.ts';

const HELD = /run run-[0-9a-f]+ is being worked by [^\s:]+:(\d+):[0-9a-f]+ until \d\d:\d\d:\d\d UTC/;

/**
 * The two-processes test (two-processes.test.ts) on PostgreSQL: separate CLI processes, each with
 * its own pool, against the Replicate fake. A render is SIGKILLed with creates in flight; two
 * resumes start together; exactly one works the run and nothing is paid twice.
 */
describePg('two processes on one run, on PostgreSQL (real clients)', (serverUrl) => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  let probe: pg.Pool;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-pg-two-'));
    db = await freshPgDatabase(serverUrl, 'two');
    probe = new pg.Pool({ connectionString: db.url, max: 2 });
    // pg-pool's end() resolves before its sockets close, and the drop that follows terminates
    // them (57P01): that error lands on the pool, which must listen or the test process throws.
    probe.on('error', () => undefined);
    fakes = await startFakes({ latencyMs: { image: 300, video: 2_500, audio: 2_500 } });
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_LEASE_TTL_MS: '1500',
      ADGEN_DATABASE_URL: db.url,
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
  });
  afterEach(async () => {
    await fakes.close();
    await probe.end();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = async <T>(sql: string): Promise<T[]> => (await probe.query(sql)).rows as T[];
  const waitFor = async (cond: () => Promise<boolean> | boolean, ms: number, what: string) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await Promise.resolve(cond()).catch(() => false)) return; // tables may not exist yet
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it('lets exactly one of two resumes work a run whose render was killed mid-create', async () => {
    const brief = path.join(dir, 'brief.json');
    fs.writeFileSync(brief, JSON.stringify(DEMO_BRIEF));
    const out = path.join(dir, 'ad.mp4');
    fakes.replicate.late.add({ match: (p) => p.model.includes('flux'), holdMs: 20_000 });
    const render = startCli(['render', '--brief', brief, '--out', out, '--profile', 'tiny'], env);
    await waitFor(() => fakes.replicate.late.inFlight() >= 1, 60_000, 'an image create to be in flight');
    render.child.kill('SIGKILL');
    await render.done;
    fakes.replicate.late.clear();
    expect(fs.existsSync(path.join(dir, 'adgen.db'))).toBe(false); // the state is in PostgreSQL
    const [run] = await query<{ id: string; lease_expires_at: string }>(
      'select id, lease_expires_at from runs',
    );
    expect(run).toBeDefined();
    await waitFor(
      async () =>
        (
          await query<{ n: number }>(
            `select count(*)::int as n from runs where lease_expires_at < ${Date.now()}`,
          )
        )[0]!.n === 1,
      10_000,
      "the killed render's lease to expire",
    );
    await new Promise((r) => setTimeout(r, 100));
    const results: CliResult[] = await Promise.all([
      runCli(['resume', run!.id], env),
      runCli(['resume', run!.id], env),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, results.map((r) => r.stderr).join('\n---\n')).toEqual([0, 3]);
    expect(results.find((r) => r.status === 3)!.stderr).toMatch(HELD);
    const rows = await query<{ provider_id: string; status: string }>(
      'select provider_id, status from predictions',
    );
    console.log(`pg two resumes: creates=${fakes.replicate.stats.creates} needed=${rows.length}`);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(fakes.replicate.stats.creates).toBe(rows.length); // nothing paid twice
    expect(Math.abs((await probeMedia(out)).durationS - 30)).toBeLessThan(0.3);
  });
});
