import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { LOUDNESS_TARGET } from '../../src/pipeline/media/loudness.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, tempApp } from '../helpers/app.ts';

// The whole render with the offline providers, ffmpeg behind a shim that logs every run and,
// while a flag file exists, kills the compose pass (the one that draws the text layer). The
// audio gains, measured before the clips were ready, are a stored step: the retry after the
// failed compose reads them back, measures nothing, and the mix still holds the target.
async function measureFile(path: string): Promise<{ lufs: number; peak: number }> {
  const { stderrTail } = await runBinary('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-nostats', '-i', path, '-map', '0:a:0'],
    ...['-af', 'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
  ]);
  const summary = stderrTail.slice(stderrTail.lastIndexOf('Summary:'));
  return {
    lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]),
    peak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]),
  };
}

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('audio gains across a failed compose and its retry', () => {
  it('stores the gains once; the retried compose measures nothing and lands on -14 LUFS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'adgen-gains-restart-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const log = join(dir, 'ffmpeg.log');
    const flag = join(dir, 'crash-compose');
    const shim = join(dir, 'ffmpeg');
    await writeFile(log, '');
    await writeFile(
      shim,
      [
        '#!/bin/sh',
        `printf '%s\\n' "$*" >> '${log}'`,
        `case "$*" in *ass=filename*) [ -e '${flag}' ] && { echo 'simulated crash in compose' >&2; exit 1; } ;; esac`,
        'exec ffmpeg "$@"',
        '',
      ].join('\n'),
    );
    await chmod(shim, 0o755);
    const takeRuns = () => {
      const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      writeFileSync(log, '');
      return lines;
    };
    const t = tempApp({ FFMPEG_PATH: shim, ADGEN_STEP_ATTEMPTS: '1' });
    cleanups.push(() => t.cleanup());
    const runId = 'run-gains';
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3 }));
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    await t.pipeline.storyboard(runId);

    await writeFile(flag, '');
    await expect(t.pipeline.render(runId)).rejects.toThrow();
    const gainsStep = () =>
      [...executions(t.db, runId).values()].find((s) => s.stepId.startsWith('audio-gains/'));
    expect(gainsStep()).toMatchObject({ status: 'succeeded', executions: 1 });
    const first = takeRuns();
    // The compose pass ran, and was killed.
    expect(first.filter((l) => l.includes('ass=filename'))).toHaveLength(1);

    await rm(flag);
    expect(existsSync(flag)).toBe(false);
    const r = await t.pipeline.render(runId);
    const retry = takeRuns();
    expect(retry.filter((l) => l.includes('ass=filename'))).toHaveLength(1);
    expect(retry.filter((l) => l.includes('ebur128'))).toEqual([]);
    expect(gainsStep()).toMatchObject({ status: 'succeeded', executions: 1 });
    const m = await measureFile(r.path);
    expect(Math.abs(m.lufs - LOUDNESS_TARGET.integratedLufs)).toBeLessThanOrEqual(
      LOUDNESS_TARGET.toleranceLu,
    );
    expect(m.peak).toBeLessThanOrEqual(LOUDNESS_TARGET.truePeakDbtp);
  }, 300_000);
});
