import { z } from 'zod';
import { MediaToolError } from '../../errors.ts';
import { type FfprobeOutput, type MediaInfo, mediaInfoOf } from './probe.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';
import type { DecodeReport, MediaKind } from './verify.ts';

const MAX_ERROR_LINES = 200;

/**
 * One ffprobe pass that is the whole check: the container and streams (`-show_format
 * -show_streams`) and every frame of the checked streams decoded (asking for frame entries makes
 * ffprobe decode them all; `-select_streams` like `-an`/`-vn`, so a clip's length is its
 * picture's). One process instead of a probe then an ffmpeg decode: under load a media process
 * costs ~0.3 s before it decodes anything, and a render checks eight files at once.
 * `-skip_loop_filter all`: deblocking only smooths pixels of slices already parsed, so a broken
 * or cut slice is reported all the same (test/media/verify.test.ts), for ~10% less CPU on H.264.
 */
export function checkArgs(path: string, kind: MediaKind | 'any' = 'any'): string[] {
  const args = ['-v', 'error', '-protocol_whitelist', 'file', '-print_format', 'json=compact=1'];
  args.push('-show_format', '-show_streams', '-skip_loop_filter', 'all');
  // pkt_duration_time is ffprobe 5's name, duration_time 6's and later.
  args.push('-show_entries', 'frame=best_effort_timestamp_time,pkt_duration_time,duration_time');
  if (kind === 'clip' || kind === 'image') args.push('-select_streams', 'v');
  if (kind === 'music' || kind === 'voice') args.push('-select_streams', 'a');
  args.push(path);
  return args;
}

const seconds = z
  .string()
  .optional()
  .transform((t) => (t === undefined ? undefined : Number(t)))
  .transform((n) => (n !== undefined && Number.isFinite(n) ? n : undefined));
const CheckOutputSchema = z
  .object({
    frames: z
      .array(
        z.object({
          best_effort_timestamp_time: seconds,
          pkt_duration_time: seconds,
          duration_time: seconds,
        }),
      )
      .default([]),
  })
  .passthrough();

/** Seconds of timeline the decoded frames cover: first start to last end. Pure. */
export function decodedSeconds(frames: z.infer<typeof CheckOutputSchema>['frames']): number {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const f of frames) {
    const at = f.best_effort_timestamp_time;
    if (at === undefined) continue;
    first = Math.min(first, at);
    last = Math.max(last, at + (f.duration_time ?? f.pkt_duration_time ?? 0));
  }
  // To the microsecond ffprobe prints: sums of decimal strings would otherwise end in ...0001.
  return Number.isFinite(first) ? Math.round(Math.max(0, last - first) * 1e6) / 1e6 : 0;
}

/** The check's JSON and stderr as what the file is and what decoded. Pure. */
export function parseCheck(
  stdout: string,
  stderr: string,
  fatal?: string,
): { info?: MediaInfo; report: DecodeReport } {
  const errors = stderr
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, MAX_ERROR_LINES);
  let json: unknown;
  try {
    json = fatal === undefined ? JSON.parse(stdout) : undefined;
  } catch {
    return { report: { decodedS: 0, errors, fatal: 'unreadable ffprobe output' } };
  }
  const parsed = CheckOutputSchema.safeParse(json);
  if (!parsed.success)
    return { report: { decodedS: 0, errors, ...(fatal ? { fatal } : { fatal: 'check' }) } };
  const info = mediaInfoOf(parsed.data as FfprobeOutput);
  return { info, report: { decodedS: decodedSeconds(parsed.data.frames), errors } };
}

/**
 * The check (checkArgs); a MediaToolError (cannot open, no moov) becomes a fatal report, never a
 * retry. `allThreads`: the decoder on every core (ffprobe decodes on one thread unless told):
 * for a file checked alone that waits for nothing else, e.g. the composed ad (compose-check.ts).
 * `queuedAt`: when the check was asked for (the limiter's timing trace).
 */
export async function decodeMedia(
  path: string,
  kind: MediaKind | 'any',
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
  at: { queuedAt?: number; allThreads?: boolean } = {},
): Promise<{ info?: MediaInfo; report: DecodeReport }> {
  const { queuedAt, allThreads = false } = at;
  try {
    const args = [...(allThreads ? ['-threads', '0'] : []), ...checkArgs(path, kind)];
    const { stdout, stderrTail } = await runBinary(bins.ffprobe, args, {
      limit: bins.limit,
      signal,
      queuedAt,
      stderrTailBytes: 20_000,
      // ~80 characters a frame: room for an hour of 30 fps video with its audio, all of it parsed.
      stdoutMaxChars: 64_000_000,
    });
    return parseCheck(stdout, stderrTail);
  } catch (err) {
    if (!(err instanceof MediaToolError)) throw err;
    return parseCheck('', err.stderrTail, 'check');
  }
}
