import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { startCli } from '../helpers/cli-run.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cancel-dead-'));
const query = dbQuery(dir);

/**
 * A process is SIGKILLed while its clip predictions run at Replicate (ids stored, 60 s to go),
 * and the ad is then cancelled from another process that never resumes it. Nobody would poll
 * those predictions again: the cancel itself must stop them at the provider and record it.
 */
describe('cancel of a run whose process died mid-clips (real replicate client)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fakes = await startFakes({ latencyMs: { image: 30, video: 60_000, audio: 60_000 } });
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_LEASE_TTL_MS: '1500',
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
  });
  afterAll(async () => {
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cancels every prediction the dead process left running, after its lease lapses', async () => {
    const briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
    const render = startCli(['render', '--brief', briefFile, '--out', path.join(dir, 'ad.mp4')], env);
    const count = (sql: string) => query<{ n: number }>(sql)[0]!.n;
    const clipsKnown = () => count("select count(*) as n from predictions where step_id like '%/clip/%'");
    const musicKnown = () => count("select count(*) as n from predictions where step_id like 'music/%'");
    const scenes = () => {
      const plan = query<{ result: string }>(
        "select result from steps where step_id like 'storyboard/%' and status = 'succeeded'",
      )[0];
      return plan
        ? (JSON.parse(plan.result) as { scenes: unknown[] }).scenes.length
        : Number.POSITIVE_INFINITY;
    };
    const everyCreateRecorded = () => {
      const ids = new Set(
        query<{ id: string }>('select provider_id as id from predictions').map((r) => r.id),
      );
      return [...fakes.replicate.predictions.keys()].every((id) => ids.has(id));
    };
    // Killed while the predictions run: every clip and the music created, every create answered
    // and its id stored (the window a kill lands in nearly always: clips run for minutes, a
    // create takes a second). A create whose answer never arrived is only known to its intent;
    // README "Scaling out" says so.
    await waitUntil(
      () => clipsKnown() >= scenes() && musicKnown() >= 1 && everyCreateRecorded(),
      90_000,
      'every clip and music prediction to be stored',
    );
    render.child.kill('SIGKILL');
    await render.done;
    const running = () =>
      [...fakes.replicate.predictions.keys()].filter((id) =>
        ['starting', 'processing'].includes(fakes.replicate.statusOf(id) ?? ''),
      );
    const orphans = running();
    expect(orphans.length).toBeGreaterThanOrEqual(5);

    const app = createApp(loadConfig({ ...env } as Record<string, string>));
    try {
      const runId = query<{ id: string }>('select id from runs')[0]!.id;
      const r = await app.workflow.decide(runId, 'cli:someone', { kind: 'cancel' });
      expect(r).toMatchObject({ ok: true, view: { phase: 'cancelled' } });
      // The dead holder's lease lapses (1.5 s), then each is cancelled at the provider.
      await waitUntil(() => running().length === 0, 20_000, 'the orphaned predictions to be cancelled').catch(
        (err: Error) => {
          throw new Error(`${err.message}: still running ${running().join(', ')}`);
        },
      );
      expect(new Set(fakes.replicate.stats.cancels)).toEqual(new Set(orphans));
      const open = () =>
        query<{ n: number }>("select count(*) as n from predictions where status = 'submitted'")[0]!.n;
      await waitUntil(() => open() === 0, 5_000, 'the predictions to be recorded as cancelled');
      const rows = query<{ status: string }>(
        `select status from predictions where provider_id in (${orphans.map((o) => `'${o}'`).join(',')})`,
      );
      expect(rows.map((r) => r.status)).toEqual(orphans.map(() => 'canceled'));
    } finally {
      await new Promise((r) => setTimeout(r, 200));
      await app.close();
    }
  }, 150_000);
});
