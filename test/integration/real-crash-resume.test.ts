import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { runCli } from '../helpers/cli-run.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-real-crash-'));
const cli = path.resolve('bin/adgen.mjs');

const query = dbQuery(dir);

describe('SIGKILL between create and the end of polling, then resume (real clients)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    // Clips and music take 2 s on the fake: the kill lands while they are being polled.
    fakes = await startFakes({ latencyMs: { image: 30, video: 2_000, audio: 2_000 } });
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      // Every clip is created at once, so the kill can land when no create is in flight: a kill
      // between Replicate accepting a create and SQLite storing its id is the one window left
      // (Replicate has no idempotency key), and this test is about the polling side.
      ADGEN_CLIP_CONCURRENCY: '10',
      // The killed process keeps the run's lease for one TTL; resume --wait waits that out.
      ADGEN_LEASE_TTL_MS: '1500',
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
  });
  afterAll(async () => {
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pays exactly once per prediction step and finishes the MP4', async () => {
    const briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
    const out = path.join(dir, 'ad.mp4');
    const child = spawn(
      process.execPath,
      [cli, 'render', '--brief', briefFile, '--out', out, '--profile', 'tiny'],
      {
        env,
        stdio: 'ignore',
      },
    );
    // Wait until clips (and the music) are created and stored but still running on the fake.
    const pending = () =>
      query<{ n: number }>(
        "select count(*) as n from predictions where status = 'submitted' and (step_id like 'scene-%/clip/%' or step_id like 'music/%')",
      )[0]!.n;
    const sceneImages = () =>
      query<{ n: number }>("select count(*) as n from predictions where step_id like 'scene-%/image/%'")[0]!
        .n;
    await waitUntil(
      () => sceneImages() >= 5 && pending() >= sceneImages() + 1,
      60_000,
      'every clip prediction and the music to be submitted',
    );
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const atKill = query<{ provider_id: string }>(
      "select provider_id from predictions where status = 'submitted'",
    );
    expect(atKill.length).toBeGreaterThanOrEqual(3);
    // Killed mid-polling: predictions were created and stored, and (at least) one still runs.
    const running = atKill.filter((p) =>
      ['starting', 'processing'].includes(fakes.replicate.statusOf(p.provider_id) ?? ''),
    );
    expect(running.length).toBeGreaterThan(0);
    expect(fs.existsSync(out)).toBe(false);

    const [run] = query<{ id: string }>('select id from runs');
    const resumed = await runCli(['resume', run!.id, '--wait'], env);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('spend:');
    expect(resumed.stderr).toMatch(/providers: planning: OpenAI gpt-4o · image: Replicate/);

    const rows = query<{ step_id: string; provider_id: string; status: string }>(
      'select step_id, provider_id, status from predictions',
    );
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    // Exactly one create per prediction step: the fake's count equals the stored predictions,
    // and every prediction the fake made is one the run knows.
    expect(fakes.replicate.stats.creates).toBe(rows.length);
    expect(new Set(rows.map((r) => r.provider_id))).toEqual(new Set(fakes.replicate.predictions.keys()));
    const submits = query<{ step_id: string; executions: number }>(
      "select step_id, executions from steps where step_id like '%/submit'",
    );
    expect(submits.length).toBe(rows.length);
    for (const s of submits) expect(s.executions, s.step_id).toBe(1);
    // The ones interrupted at the kill were polled again, not re-created.
    for (const p of atKill) expect(rows.some((r) => r.provider_id === p.provider_id)).toBe(true);

    const info = await probeMedia(out);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    const listed = await runCli(['runs'], env);
    expect(listed.stdout).toMatch(new RegExp(`${run!.id}\\s+succeeded\\s+tiny\\s+\\d+\\s+\\$0\\.\\d{3}`));
  });
});
