import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { decodeMedia } from '../../src/pipeline/media/verify.ts';
import { runCli } from '../helpers/cli-run.ts';
import { dbQuery } from '../helpers/db-probe.ts';
import { startFakes } from '../helpers/fakes.ts';
import { livePidsWith, waitFor } from '../media/proc.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-compose-crash-'));
const cli = path.resolve('bin/adgen.mjs');
const query = dbQuery(dir);

/** The compose's temp output(s) under the data folder, with their sizes. */
function composeTemps(): { file: string; size: number }[] {
  const found: { file: string; size: number }[] = [];
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const base = path.basename(name);
    if (!base.startsWith('ad-draft-') || !base.endsWith('.part')) continue;
    try {
      found.push({ file: path.join(dir, name), size: fs.statSync(path.join(dir, name)).size });
    } catch {
      // renamed or removed while we looked
    }
  }
  return found;
}

describe('SIGKILL while ffmpeg composes, then an immediate resume (real clients, draft profile)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    fakes = await startFakes({ latencyMs: { image: 30, video: 100, audio: 100 } });
    // Draft (720x1280, veryfast) so the encode lasts seconds and the kill lands inside it.
    // A short lease: the resume below is started at once and waits out the dead holder's lease.
    env = {
      ...process.env,
      ...fakes.env,
      ADGEN_DATA_DIR: dir,
      ADGEN_PROFILE: 'draft',
      ADGEN_LEASE_TTL_MS: '1500',
    };
    delete env.ADGEN_OFFLINE_LATENCY_MS;
  });
  afterAll(async () => {
    for (const pid of livePidsWith(dir)) process.kill(pid, 'SIGKILL');
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no ffmpeg behind and delivers an MP4 whose full decode prints zero errors', async () => {
    const briefFile = path.join(dir, 'brief.json');
    fs.writeFileSync(briefFile, JSON.stringify(DEMO_BRIEF));
    fs.mkdirSync(path.join(dir, 'export'));
    const out = path.join(dir, 'export', 'ad.mp4');
    const args = ['render', '--brief', briefFile, '--out', out, '--profile', 'draft'];
    const child = spawn(process.execPath, [cli, ...args], { env, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));

    // Inside the dangerous window: the compose's ffmpeg is running and its file is growing.
    const first = await waitFor(
      () => composeTemps().find((t) => t.size > 0),
      120_000,
      'the compose to write',
    );
    await waitFor(
      () => (composeTemps().find((t) => t.file === first.file)?.size ?? 0) > first.size,
      30_000,
      'growth',
    );
    const encoders = livePidsWith(dir);
    expect(encoders.length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    // The encoder dies with its parent, within seconds, and its file stops growing.
    await waitFor(() => encoders.every((pid) => !livePidsWith(dir).includes(pid)), 5_000, 'ffmpeg to die');
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    const sizeAfter = () => composeTemps().find((t) => t.file === first.file)?.size;
    const atDeath = sizeAfter();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sizeAfter()).toBe(atDeath);

    const [run] = query<{ id: string }>('select id from runs');
    const resumed = await runCli(['resume', run!.id, '--wait'], env);
    expect(resumed.status, resumed.stderr).toBe(0);

    const { info, report } = await decodeMedia(out, 'any');
    expect(report.errors).toEqual([]);
    expect(Math.abs((info?.durationS ?? 0) - 30)).toBeLessThan(0.3);
    expect(livePidsWith(dir)).toEqual([]);
    // The killed attempt's temp file was cleaned up by the resumed compose.
    expect(composeTemps()).toEqual([]);
  });
});
