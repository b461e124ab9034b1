import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable, RunContext, type StepRecord, type StepStore } from '../../src/pipeline/engine.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { decodeMedia } from '../../src/pipeline/media/verify.ts';
import type { RunMethods } from '../../src/pipeline/stores.ts';
import { livePidsWith, waitFor } from './proc.ts';

let dir = '';
let input: (out: string) => ComposeInput;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-compose-verify-'));
  const clips = [0, 1, 2].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 4 }));
  const base = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i'];
  await Promise.all([
    ...clips.map((c) =>
      runBinary('ffmpeg', [...base, 'testsrc2=s=144x256:r=15:d=4', '-c:v', 'libx264', c.path]),
    ),
    runBinary('ffmpeg', [...base, 'sine=f=440:d=12', join(dir, 'music.wav')]),
  ]);
  input = (outPath) => ({ clips, musicPath: join(dir, 'music.wav'), profile: PROFILES.tiny, outPath });
});

afterAll(async () => {
  for (const pid of livePidsWith(dir)) process.kill(pid, 'SIGKILL');
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('compose writes a fresh temp file and decodes the result before handing it on', () => {
  it('an orphaned encoder still writing the old `<out>.part` cannot corrupt the delivered file', async () => {
    const out = join(dir, 'ad.mp4');
    // A dead process's leftover, and an orphan still writing the name the old code shared with
    // every attempt (the orphan of a killed compose keeps writing it; issue 8).
    writeFileSync(`${out}.999999999-deadbeef.part`, 'stale');
    const orphan = spawn(process.execPath, [resolve('test/media/fixtures/scribbler.mjs'), `${out}.part`], {
      stdio: 'ignore',
    });
    try {
      const r = await compose(input(out));
      const { report } = await decodeMedia(r.path, 'any');
      expect(report.errors).toEqual([]);
      expect(report.decodedS).toBeGreaterThan(11.5);
    } finally {
      orphan.kill('SIGKILL');
    }
    // Only the final file is left: our temp was renamed, the dead process's temp was removed.
    expect(readdirSync(dir).filter((n) => n.startsWith('ad.mp4'))).toEqual(['ad.mp4']);
  });

  it('a file that probes fine but does not decode cleanly is never renamed into place', async () => {
    const out = join(dir, 'damaged.mp4');
    const bins = { ffmpeg: resolve('test/media/fixtures/corrupting-ffmpeg.mjs'), ffprobe: 'ffprobe' };
    const err = await compose(input(out), { bins }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'compose_corrupt' });
    expect(String((err as Error).message)).toMatch(/did not decode cleanly \(\d+ errors\)/);
    // Composing again may pass (a bad disk, a second writer): the engine may retry this one.
    expect(isRetryable(err)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.startsWith('damaged.mp4'))).toEqual([]);
  });

  it('a compose that fails on its inputs runs once, not three times', async () => {
    const bad = join(dir, 'not-a-clip.mp4');
    writeFileSync(bad, Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), Buffer.alloc(5000, 0x5a)]));
    const records = new Map<string, StepRecord>();
    let begun = 0;
    const methods = {
      load: async (_r: string, id: string) => records.get(id),
      loadRun: async () => new Map(records),
      begin: async () => void begun++,
      succeed: async (_r: string, id: string, result: unknown) =>
        void records.set(id, { status: 'succeeded', result }),
      fail: async (_r: string, id: string, f: { error: string }) =>
        void records.set(id, { status: 'failed', error: f.error }),
    };
    const store: StepStore = {
      ...methods,
      transaction: (fn) => fn({ ...methods, runs: {} as RunMethods }),
    };
    const rc = new RunContext('run', store, new AbortController().signal, {
      attempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 20,
    });
    const base = input(join(dir, 'never.mp4'));
    const step = rc.step('compose/x', () =>
      compose({ ...base, clips: [...base.clips, { path: bad, slotS: 4 }] }),
    );
    await expect(step).rejects.toThrow(/not-a-clip\.mp4/);
    expect(begun).toBe(1);
    expect(records.get('compose/x')).toMatchObject({ status: 'failed' });
  });

  it("an encoder still writing a dead process's temp file is found by its command line and killed", async () => {
    const out = join(dir, 'resumed.mp4');
    const orphanPart = `${out}.999999998-cafe.part`;
    const args = ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=s=144x256:r=15:d=36000'];
    // Spawned raw, like an orphan from a platform without a parent-death signal.
    const orphan = spawn('ffmpeg', [...args, '-c:v', 'libx264', '-f', 'mp4', orphanPart], {
      stdio: 'ignore',
    });
    const gone = new Promise((r) => orphan.once('exit', r));
    await waitFor(() => existsSync(orphanPart) && livePidsWith(orphanPart).length > 0, 20_000, 'the orphan');
    // A bystander whose arguments only resemble ours is left alone.
    const bystander = spawn('ffmpeg', [...args, '-f', 'null', '-', '-metadata', `x=${orphanPart}x`], {
      stdio: 'ignore',
    });
    await waitFor(() => livePidsWith(`${orphanPart}x`).length > 0, 20_000, 'the bystander');
    try {
      await compose(input(out));
      await gone;
      expect([orphan.signalCode, orphan.exitCode]).toEqual(['SIGKILL', null]);
      expect(livePidsWith(`${orphanPart}x`)).toHaveLength(1);
      expect(readdirSync(dir).filter((n) => n.startsWith('resumed.mp4'))).toEqual(['resumed.mp4']);
    } finally {
      orphan.kill('SIGKILL');
      bystander.kill('SIGKILL');
    }
  });
});
