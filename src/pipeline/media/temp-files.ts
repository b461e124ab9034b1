import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Temp names for a file being written: `<final>.<pid>-<random>.part`, unique per attempt, so a
 * resumed compose never writes into a file an orphaned ffmpeg may still be writing (issue 8: the
 * shared `<out>.part` was delivered with ~2,100 decode errors).
 */
export function freshTempPath(finalPath: string): string {
  return `${finalPath}.${process.pid}-${randomBytes(6).toString('hex')}.part`;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Second line of defence where no parent-death signal exists (child-guard.ts): an encoder still
 * writing a dead process's temp file is killed — only after /proc/<pid>/cmdline shows it is an
 * ffmpeg whose arguments name that exact file, so an unrelated process is never touched.
 */
export async function killOrphanWriters(tempPath: string): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const killed: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const argv = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (t) => t.split('\0'),
      () => [] as string[],
    );
    if (!/ffmpeg$/.test(argv[0] ?? '') || !argv.includes(tempPath)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed.push(Number(entry));
    } catch {
      // Gone already, or not ours to kill.
    }
  }
  return killed;
}

/**
 * Removes temp files of `finalPath` left by processes that are gone (and kills any encoder still
 * writing one); temp files of live processes are left alone.
 */
export async function removeStaleTemps(finalPath: string): Promise<string[]> {
  const dir = path.dirname(finalPath);
  const prefix = `${path.basename(finalPath)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.part')) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    // The old shared `<out>.part` (no pid) is always stale: nothing writes it any more.
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) continue;
    await killOrphanWriters(path.join(dir, name));
    await rm(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}
