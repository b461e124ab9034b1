import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-crash-'));
const env = {
  ...process.env,
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  // Slow offline providers so the kill lands while clips are being made.
  ADGEN_OFFLINE_LATENCY_MS: '700',
  ADGEN_CLIP_CONCURRENCY: '2',
  // The killed process keeps the run's lease for one TTL; resume --wait waits that out.
  ADGEN_LEASE_TTL_MS: '1500',
};
const cli = path.resolve('bin/adgen.mjs');

const query = dbQuery(dir);

describe('crash and resume', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL while clips are made, then resume: completes without redoing finished steps', async () => {
    const briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
    const out = path.join(dir, 'ad.mp4');
    const child = spawn(
      process.execPath,
      [cli, 'render', '--brief', briefFile, '--out', out, '--seed', '5'],
      {
        env,
        stdio: 'ignore',
      },
    );
    const clipsDone = () =>
      query<{ n: number }>(
        "select count(*) as n from steps where step_id like 'scene-%/clip/%/collect' and status = 'succeeded'",
      )[0]!.n;
    await waitUntil(() => clipsDone() >= 1, 90_000, 'the render to reach the clips');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const doneAtKill = clipsDone();
    const finished = query<{ step_id: string; executions: number }>(
      "select step_id, executions from steps where status = 'succeeded'",
    );
    // Offline submits are free and have nothing to reconcile: one cut off by the kill runs again.
    const cutOff = new Set(
      query<{ step_id: string }>("select step_id from steps where status = 'running'").map((r) => r.step_id),
    );
    const plans = query<{ n: number }>("select count(*) as n from steps where step_id like 'storyboard/%'");
    expect(plans[0]!.n).toBe(1);
    expect(fs.existsSync(out)).toBe(false);

    const [run] = query<{ id: string }>('select id from runs');
    const resumed = spawnSync(process.execPath, [cli, 'resume', run!.id, '--wait'], {
      env,
      encoding: 'utf8',
    });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain('duration:');

    const after = new Map(
      query<{ step_id: string; executions: number }>('select step_id, executions from steps').map((r) => [
        r.step_id,
        r.executions,
      ]),
    );
    for (const s of finished) expect(after.get(s.step_id), s.step_id).toBe(s.executions);
    // Every generation was submitted exactly once, except a free one the kill cut off mid-way.
    for (const [id, n] of after) if (id.endsWith('/submit')) expect(n, id).toBe(cutOff.has(id) ? 2 : 1);
    expect(clipsDone()).toBeGreaterThan(doneAtKill);
    const info = await probeMedia(out);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  });
});
