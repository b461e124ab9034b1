import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { App } from '../main.ts';
import { LeaseHeldError } from '../pipeline/lease.ts';
import type { ProfileName } from '../pipeline/media/profiles.ts';
import { newRunInput } from '../pipeline/run-input.ts';
import type { Brief } from '../pipeline/schemas.ts';
import type { createTerminalProgress } from './progress-bar.ts';

export const newRunId = () => `run-${randomBytes(5).toString('hex')}`;

export interface AutoRunResult {
  runId: string;
  path: string;
  durationS: number;
  sizeBytes: number;
  scenes: number;
  spendUsd: number;
}

/**
 * Drives an `auto` run through every phase while holding its lease for the whole drive (another
 * process cannot slip in between phases); safe to call again to resume after a crash. When
 * another process holds the lease: refuse, naming it, or with `wait` say so and wait for it.
 */
export async function driveAutoRun(
  app: App,
  runId: string,
  progress: ReturnType<typeof createTerminalProgress>,
  opts: { wait?: boolean } = {},
): Promise<AutoRunResult> {
  const drive = () => driveHeld(app, runId, progress);
  try {
    return await app.leases.withLease(runId, drive);
  } catch (err) {
    if (!(err instanceof LeaseHeldError) || !opts.wait) throw err;
    console.error(`${err.message}; waiting for it`);
    return app.leases.withLease(runId, drive, { wait: true });
  }
}

async function driveHeld(
  app: App,
  runId: string,
  progress: ReturnType<typeof createTerminalProgress>,
): Promise<AutoRunResult> {
  const { pipeline } = app;
  const run = pipeline.get(runId);
  if (run.input.mode !== 'auto') {
    throw new AppError('not_auto', `run ${runId} belongs to a chat thread; continue it there (adgen bot)`);
  }
  if (run.status === 'cancelled') throw new AppError('cancelled', `run ${runId} was cancelled`);
  progress.mark('moods');
  progress.sink.report({ runId, stage: 'moods', fraction: 0, message: 'Planning three mood directions…' });
  await pipeline.moodBoards(runId);
  if (run.input.moodChoice === null) pipeline.chooseMood(runId, 0);
  progress.sink.report({ runId, stage: 'storyboard', fraction: 0, message: 'Planning the storyboard…' });
  await pipeline.storyboard(runId);
  const result = await pipeline.render(runId);
  progress.mark('done');
  progress.done();
  let finalPath = result.path;
  const exportPath = pipeline.get(runId).input.exportPath;
  if (exportPath) {
    await fs.mkdir(path.dirname(exportPath), { recursive: true });
    await fs.copyFile(result.path, `${exportPath}.part`);
    await fs.rename(`${exportPath}.part`, exportPath);
    finalPath = exportPath;
  }
  return { runId, ...result, path: finalPath, spendUsd: app.runs.spendUsd(runId) };
}

export function startAutoRun(
  app: App,
  brief: Brief,
  opts: { profile: ProfileName; maxBytes: number | null; out: string; seed?: number },
): string {
  const input = newRunInput(brief, {
    profile: opts.profile,
    maxBytes: opts.maxBytes,
    mode: 'auto',
    exportPath: path.resolve(opts.out),
    seed: opts.seed,
  });
  return app.pipeline.createRun(newRunId(), input);
}

export function formatResult(r: AutoRunResult, timings: [string, number][], totalS: number): string {
  const lines = [
    `video:    ${r.path}`,
    `duration: ${r.durationS.toFixed(2)} s`,
    `size:     ${(r.sizeBytes / 1024 / 1024).toFixed(2)} MiB (${r.sizeBytes} bytes)`,
    `scenes:   ${r.scenes}`,
    `spend:    $${r.spendUsd.toFixed(3)}`,
    `run:      ${r.runId}`,
    `timings:  ${timings.map(([s, t]) => `${s} ${t.toFixed(1)}s`).join(', ')} (total ${totalS.toFixed(1)}s)`,
  ];
  return lines.join('\n');
}
