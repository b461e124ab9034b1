import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `adgen bot` as its own process (offline, tiny profile, slow providers so a kill lands
 * mid-render), sharing one data folder across restarts. The platform's env comes from the test.
 */
export function botProcesses(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const children: ChildProcess[] = [];
  return {
    dir,
    /** `command`: `bot`, or one role of a scaled-out bot (`gateway`, `worker`). */
    start(platformEnv: Record<string, string>, command: 'bot' | 'gateway' | 'worker' = 'bot'): ChildProcess {
      const child = spawn(process.execPath, ['bin/adgen.mjs', command], {
        env: {
          ...process.env,
          ADGEN_DATA_DIR: dir,
          ADGEN_PROFILE: 'tiny',
          ADGEN_FORCE_OFFLINE: 'true',
          ADGEN_OFFLINE_LATENCY_MS: '500',
          ADGEN_LOG_LEVEL: 'error',
          // A restarted bot waits out its killed predecessor's run leases: keep that short.
          ADGEN_LEASE_TTL_MS: '1500',
          ...platformEnv,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    async kill(child: ChildProcess): Promise<void> {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((r) => child.once('exit', r));
    },
    cleanup(): void {
      for (const c of children) c.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
