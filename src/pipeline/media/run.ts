import { spawn } from 'node:child_process';
import { channel } from 'node:diagnostics_channel';
import os from 'node:os';
import {
  AppError,
  CancelledError,
  MEDIA_TOOL_KILLED,
  MediaToolError,
  NonRetryableError,
} from '../../errors.ts';
import type { LimitOptions } from '../limit.ts';
import { deathSignalPrefix, killGroup, track, WRAPPER_EXEC_FAILED } from './child-guard.ts';

/** Which ffmpeg/ffprobe to run; tests and config may point elsewhere. */
export interface FfmpegBins {
  ffmpeg: string;
  ffprobe: string;
  /**
   * Process-wide cap on media processes at once (created by the composition root). More encoders
   * than cores only adds contention, and every spawn stalls the event loop for a moment.
   */
  limit?: <T>(task: () => Promise<T>, opts?: LimitOptions) => Promise<T>;
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
  /** Keep at most this much stdout (default 1,000,000 characters); the rest is dropped. */
  stdoutMaxChars?: number;
  /** Scheduling priority of the child (0 normal .. 19 lowest); default 10. */
  niceness?: number;
  /** Run under this limiter (FfmpegBins.limit). */
  limit?: FfmpegBins['limit'];
  /** When the work was queued, if it waited for a media slot before this call (for the trace). */
  queuedAt?: number;
}

export interface RunResult {
  stdout: string;
  stderrTail: string;
}

/**
 * The one place a media binary is spawned: an argument array, never a shell, so no file name or
 * prompt can be interpreted as a command. The child dies with this process (child-guard.ts).
 * A non-zero exit is a MediaToolError (not retried: same local inputs, same failure); a kill by a
 * signal we did not send stays retryable.
 */
export function runBinary(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  if (mediaTrace.hasSubscribers) return traced(bin, args, opts);
  return opts.limit ? opts.limit(() => spawnBinary(bin, args, opts)) : spawnBinary(bin, args, opts);
}

/** One media process as the benchmarks see it: queued (under `limit`), started, ended (ms, performance.now). */
export interface MediaTraceEvent {
  bin: string;
  args: readonly string[];
  queuedAt: number;
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

/**
 * Every media process's timing, published when it ends, so a benchmark can say where a render's
 * time went (bench:pipeline). Costs nothing while nobody subscribes.
 */
export const mediaTrace = channel('adgen:media-process');

async function traced(bin: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const queuedAt = opts.queuedAt ?? performance.now();
  let startedAt = performance.now();
  const run = () => {
    startedAt = performance.now();
    return spawnBinary(bin, args, opts);
  };
  let ok = false;
  try {
    const r = await (opts.limit ? opts.limit(run) : run());
    ok = true;
    return r;
  } finally {
    const event: MediaTraceEvent = { bin, args, queuedAt, startedAt, endedAt: performance.now(), ok };
    mediaTrace.publish(event);
  }
}

function spawnBinary(bin: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const tailMax = opts.stderrTailBytes ?? 4000;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CancelledError());
    const wrapper = deathSignalPrefix();
    const [cmd, ...argv] = [...wrapper, bin, ...args] as [string, ...string[]];
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    track(child);
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
    const onAbort = () => killGroup(child);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < (opts.stdoutMaxChars ?? 1_000_000)) stdout += chunk;
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
      reject(exitError(bin, code, sig, stderr, wrapper.length > 0));
    });
  });
}

/** ffmpeg traps SIGINT/SIGTERM and exits 255 after saying so: that is a kill, not a bad input. */
const INTERRUPTED = /received signal \d+/;

function exitError(
  bin: string,
  code: number | null,
  sig: NodeJS.Signals | null,
  stderr: string,
  wrapped: boolean,
): AppError {
  if (wrapped && code === WRAPPER_EXEC_FAILED && /failed to execute/.test(stderr))
    return new NonRetryableError('ffmpeg_missing', `${INSTALL_HINT} (tried ${bin})`);
  if (code === null || INTERRUPTED.test(stderr)) {
    const tail = stderr.trim().split('\n').slice(-3).join('\n');
    return new AppError(MEDIA_TOOL_KILLED, `${bin} was stopped by ${sig ?? 'a signal'}:\n${tail}`);
  }
  return new MediaToolError(bin, code, stderr);
}
