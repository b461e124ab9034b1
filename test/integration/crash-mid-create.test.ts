import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { runCli, startCli } from '../helpers/cli-run.ts';
import { dbQuery, waitUntil } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-crash-create-'));
const query = dbQuery(dir);

/**
 * The worst moment for "never pay twice": Replicate has registered (and bills) the clip
 * predictions, but their create responses have not reached us, so no id is stored. A SIGKILL
 * there left submit steps `running`, which the old code re-created blind (18 creates for 14).
 */
describe('SIGKILL while prediction creates are in flight, then resume (real clients)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fakes = await startFakes({ latencyMs: { image: 30, video: 1_500, audio: 1_500 } });
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'tiny',
      ADGEN_CLIP_CONCURRENCY: '10',
      // The killed process's lease blocks the run for one TTL: keep the test short.
      ADGEN_LEASE_TTL_MS: '1500',
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
  });
  afterAll(async () => {
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adopts the predictions the dead process paid for: creates == predictions needed', async () => {
    const briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
    const out = path.join(dir, 'ad.mp4');
    // Every clip create is registered at once but answered only after 20 s.
    fakes.replicate.late.add({ match: (p) => p.model.includes('seedance'), holdMs: 20_000 });
    const render = startCli(['render', '--brief', briefFile, '--out', out, '--profile', 'tiny'], env);
    await waitUntil(() => fakes.replicate.late.inFlight() >= 3, 90_000, 'clip creates to be in flight');
    const inFlightAtKill = fakes.replicate.late.inFlight();
    const createsAtKill = fakes.replicate.stats.creates;
    render.child.kill('SIGKILL');
    await render.done;
    expect(inFlightAtKill).toBeGreaterThan(0);
    // None of the held clip ids reached the database: only the intents know those creates.
    const knownAtKill = query<{ n: number }>(
      "select count(*) as n from predictions where step_id like '%/clip/%'",
    );
    expect(knownAtKill[0]!.n).toBe(0);
    fakes.replicate.late.clear();

    const [run] = query<{ id: string }>('select id from runs');
    const resumed = await runCli(['resume', run!.id, '--wait'], env);
    expect(resumed.status, resumed.stderr).toBe(0);

    const rows = query<{ step_id: string; provider_id: string; status: string }>(
      'select step_id, provider_id, status from predictions',
    );
    const needed = rows.length;
    const creates = fakes.replicate.stats.creates;
    console.log(
      `crash mid-create: in flight at kill=${inFlightAtKill} creates at kill=${createsAtKill} ` +
        `creates=${creates} needed=${needed}`,
    );
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(creates).toBe(needed);
    expect(new Set(rows.map((r) => r.provider_id))).toEqual(new Set(fakes.replicate.predictions.keys()));
    const intents = query<{ status: string; external_id: string | null }>(
      'select status, external_id from intents',
    );
    expect(intents.length).toBe(needed);
    expect(intents.every((i) => i.status === 'done' && i.external_id)).toBe(true);
    const info = await probeMedia(out);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  });
});
