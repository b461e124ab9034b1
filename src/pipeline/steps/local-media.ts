import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { checkCollected } from '../media/collect-check.ts';
import type { AsyncGen, Job } from '../providers/ports.ts';
import type { AssetKind } from '../stores.ts';

/** What a generation's collect step stored: where its files were written, and how big. */
export interface StoredCollect {
  /** The attempt's step id (`…/collect` and `…/submit` live under it). */
  id: string;
  files: { path: string; bytes?: number }[];
}

/** The file is on this machine (and, when its size is known, whole). */
export async function present(f: { path: string; bytes?: number }): Promise<boolean> {
  const st = await fs.stat(f.path).catch(() => undefined);
  return Boolean(st?.isFile() && (f.bytes === undefined || st.size === f.bytes));
}

/**
 * Media without a shared disk (issue 11): a run's files live with the worker that collected
 * them. A worker taking the run over finds the steps stored but not the files, so it collects
 * the stored prediction again (Replicate: the prediction id is in the submit step; polling it
 * and downloading again is free while Replicate keeps outputs, one hour) into its own folder. The
 * stored step stays as it was: its paths are the first worker's, these are this worker's.
 * Undefined when the provider no longer has the output: the caller pays for it once more.
 */
export async function filesHere<I>(
  scope: RunScope,
  made: StoredCollect,
  gen: AsyncGen<I>,
  input: I,
  kind: AssetKind,
): Promise<string[] | 'gone'> {
  const { rc, env } = scope;
  if ((await Promise.all(made.files.map(present))).every(Boolean)) return made.files.map((f) => f.path);
  // Collected here before (an earlier phase of this takeover): the same names in our run folder.
  const ours = made.files.map((f) => ({
    ...f,
    path: path.join(runDir(env, rc.runId), path.basename(f.path)),
  }));
  if ((await Promise.all(ours.map(present))).every(Boolean)) return ours.map((f) => f.path);
  const job = await rc.peek<Job>(`${made.id}/submit`);
  if (!job) return 'gone';
  const outDir = runDir(env, rc.runId);
  await fs.mkdir(outDir, { recursive: true });
  const ctx = { outDir, fileStem: made.id.replace(/[^a-zA-Z0-9.-]+/g, '-'), signal: rc.signal, priority: 0 };
  try {
    const out = await gen.collect(job, input, ctx);
    await checkCollected(out.files, made.id, kind, input, env.bins, rc.signal);
    return out.files;
  } catch (err) {
    if (rc.signal.aborted) throw err;
    return 'gone';
  }
}
