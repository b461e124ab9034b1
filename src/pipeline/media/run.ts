import { spawn } from 'node:child_process';
import os from 'node:os';
import { AppError, CancelledError, NonRetryableError } from '../../errors.ts';

/** Which ffmpeg/ffprobe to run; tests and config may point elsewhere. */
export interface FfmpegBins {
  ffmpeg: string;
  ffprobe: string;
  /**
   * Process-wide cap on media processes at once (created by the composition root). More encoders
   * than cores only adds contention, and every spawn stalls the event loop for a moment.
   */
  limit?: <T>(task: () => Promise<T>) => Promise<T>;
}
export const DEFAULT_BINS: FfmpegBins = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

export const INSTALL_HINT =
  'ffmpeg was not found. Install it with `sudo apt-get install -y ffmpeg` (Debian/Ubuntu) or ' +
  '`brew install ffmpeg` (macOS), or set FFMPEG_PATH / FFPROBE_PATH.';

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with the output time in seconds as ffmpeg reports it (needs `-progress pipe:1`). */
  onTime?: (seconds: number) => void;
  /** Keep this many bytes of stderr for error messages. */
  stderrTailBytes?: number;
  /** Scheduling priority of the child (0 normal .. 19 lowest); default 10. */
  niceness?: number;
  /** Run under this limiter (FfmpegBins.limit). */
  limit?: FfmpegBins['limit'];
}

export interface RunResult {
  stdout: string;
  stderrTail: string;
}

/**
 * The one place a media binary is spawned: an argument array, never a shell, so no file name or
 * prompt can be interpreted as a command. A non-zero exit carries the tail of stderr.
 */
export function runBinary(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return opts.limit ? opts.limit(() => spawnBinary(bin, args, opts)) : spawnBinary(bin, args, opts);
}

function spawnBinary(bin: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const tailMax = opts.stderrTailBytes ?? 4000;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Media work is background work: at a lower priority it cannot starve the bot's event loop
    // (acks are due within 3 s) on a small machine with several renders running.
    if (child.pid !== undefined) {
      try {
        os.setPriority(child.pid, opts.niceness ?? 10);
      } catch {
        // Not permitted on some systems; running at normal priority is still correct.
      }
    }
    let stdout = '';
    let stderr = '';
    let pending = '';
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < 1_000_000) stdout += chunk;
      if (!opts.onTime) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^out_time_us=(\d+)/.exec(line);
        if (m) opts.onTime(Number(m[1]) / 1e6);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-tailMax);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT')
        reject(new NonRetryableError('ffmpeg_missing', `${INSTALL_HINT} (tried ${bin})`));
      else reject(new AppError('ffmpeg_spawn', `could not start ${bin}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, sig) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (opts.signal?.aborted) return reject(new CancelledError());
      if (code === 0) return resolve({ stdout, stderrTail: stderr });
      reject(
        new AppError(
          'ffmpeg_failed',
          `${bin} exited with ${code ?? sig}:\n${stderr.trim().split('\n').slice(-15).join('\n')}`,
        ),
      );
    });
  });
}
