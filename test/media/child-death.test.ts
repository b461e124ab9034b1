import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../src/pipeline/engine.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { livePidsWith, waitFor } from './proc.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-child-death-'));
const fixture = path.resolve('test/media/fixtures/long-encode.ts');

/** Starts the parent, waits until its ffmpeg is really encoding, returns both. */
async function startParent(name: string, mode = '') {
  const out = path.join(dir, `${name}.mp4`);
  const parent = spawn(process.execPath, ['bin/run-ts.mjs', fixture, out, mode], { stdio: 'ignore' });
  const [pid] = await waitFor(() => livePidsWith(out).length > 0 && livePidsWith(out), 30_000, 'ffmpeg');
  await waitFor(() => fs.existsSync(out) && fs.statSync(out).size > 0, 30_000, 'the encode to write');
  return { parent, out, pid: pid! };
}

describe('ffmpeg dies with its parent', () => {
  afterAll(() => {
    for (const pid of livePidsWith(dir)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL of the node parent mid-encode: the ffmpeg pid is gone within seconds', async () => {
    const { parent, out, pid } = await startParent('sigkill');
    const exited = new Promise((r) => parent.once('exit', r));
    parent.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    await waitFor(() => !livePidsWith(out).includes(pid), 5_000, `ffmpeg ${pid} to die`);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    // And it stays dead: the file stops growing.
    const size = fs.statSync(out).size;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fs.statSync(out).size).toBe(size);
  });

  it('process.exit() in the parent kills the encode too', async () => {
    const { parent, out, pid } = await startParent('exit', 'exit');
    await new Promise((r) => parent.once('exit', r));
    await waitFor(() => !livePidsWith(out).includes(pid), 5_000, `ffmpeg ${pid} to die`);
  });

  it('a non-zero exit is not retried; a kill by someone else is; a missing binary says how to install', async () => {
    const bad = runBinary('ffmpeg', ['-v', 'error', '-i', path.join(dir, 'missing.mp4'), '-f', 'null', '-']);
    const failed = await bad.catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 'ffmpeg_failed', exitCode: 1 });
    expect(isRetryable(failed)).toBe(false);

    const out = path.join(dir, 'oom.mp4');
    const args = ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:d=600', '-y', out];
    const running = runBinary('ffmpeg', args).catch((e: unknown) => e);
    const [pid] = await waitFor(() => livePidsWith(out).length > 0 && livePidsWith(out), 30_000, 'ffmpeg');
    process.kill(pid!, 'SIGKILL');
    const killed = await running;
    expect(killed).toMatchObject({ code: 'ffmpeg_killed' });
    expect(isRetryable(killed)).toBe(true);

    const missing = await runBinary(path.join(dir, 'no-ffmpeg'), ['-version']).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'ffmpeg_missing' });
    expect(isRetryable(missing)).toBe(false);
  });
});
