import { type ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * Keeps media children from outliving this process. Measured on Debian 12 / ffmpeg 5.1 (issue 8):
 * after a SIGKILL of node, ffmpeg keeps encoding whatever its stdio is — `-nostdin`, a stdin
 * pipe, `-progress pipe:1` and a stderr pipe all leave it running (it ignores SIGPIPE and EOF).
 * What works is the kernel's parent-death signal: `setpriv --pdeathsig KILL` (util-linux, in every
 * Debian image) sets PR_SET_PDEATHSIG and then execs ffmpeg under the same pid, so the kernel
 * kills it the moment node dies, however node dies. Where setpriv is missing, the process group
 * kill on exit below still covers every exit that runs JS; compose writes a fresh temp file per
 * attempt, so an orphan never writes into the file that is delivered, and on Linux the next
 * compose kills an orphan still writing a dead process's temp file (temp-files.ts).
 */
const SETPRIV_PATHS = ['/usr/bin/setpriv', '/bin/setpriv'];
let prefix: string[] | undefined;

/** The argv prefix that ties a child to us (`[]` when the platform has no way to). */
export function deathSignalPrefix(): string[] {
  if (prefix) return prefix;
  prefix = [];
  if (process.platform !== 'linux') return prefix;
  const setpriv = SETPRIV_PATHS.find((p) => fs.existsSync(p));
  if (!setpriv) return prefix;
  // Old util-linux (< 2.33) has no --pdeathsig: check once that the flag is understood.
  const probe = spawnSync(setpriv, ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore', timeout: 5000 });
  if (probe.status === 0) prefix = [setpriv, '--pdeathsig', 'KILL', '--'];
  return prefix;
}

/** setpriv reports a missing program itself, with this exit code (it cannot exec it). */
export const WRAPPER_EXEC_FAILED = 127;

const live = new Set<ChildProcess>();
let hooked = false;

/**
 * Each child runs in its own process group (spawned `detached`), so one kill reaches anything it
 * starts; on a normal exit or `process.exit()` every group still running is killed.
 */
export function track(child: ChildProcess): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const c of live) killGroup(c);
    });
  }
  live.add(child);
  child.once('close', () => live.delete(child));
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}
