import { z } from 'zod';
import { decodedSeconds } from './check-pass.ts';
import { escapeFilterValue } from './filter-escape.ts';
import { type FfprobeOutput, mediaInfoOf } from './probe.ts';
import {
  type DecodeReport,
  judgeMedia,
  type MediaExpectation,
  type VerifiedMedia,
  verdict,
} from './verify.ts';

/**
 * Several provider files decoded by ONE ffprobe: each file is a `movie=` source of a
 * lavfi graph and comes out as its own stream (frames carry stream_index). Starting ffprobe costs
 * ~0.05 CPU-s before it decodes anything (215 shared libraries); a render checks 15-20 files.
 *
 * The batch is only ever a shortcut to "clean": its files are trusted when the run was clean and
 * every one of them passes judgeMedia. Anything else (an error or unknown warning line, a
 * missing stream, a last frame without a duration, a verdict) sends the files back to the
 * per-file check (check-pass.ts), so a bad file gets exactly the verdict and message it gets alone.
 */
export interface BatchItem {
  path: string;
  want: MediaExpectation;
}

/**
 * Pictures only. Audio through `amovie=` keeps lossy codecs' encoder delay and padding that the
 * per-file pass trims (an mp3 of 12.3 s measures 12.325 s, an aac line 3.111 s instead of 3.1),
 * so music and voice are checked alone, as is compose's own output ('video').
 */
export const BATCHABLE = new Set(['clip', 'image']);
export const MAX_BATCH = 12;

/**
 * Any absolute path is escaped for both lavfi levels (filter-escape.ts); one with control
 * characters (a newline would end the graph's text) is simply checked alone.
 */
export function batchable(item: BatchItem): boolean {
  return BATCHABLE.has(item.want.kind) && item.path.startsWith('/') && !/[\x00-\x1f]/.test(item.path);
}

/**
 * `-v warning` (stricter than the per-file pass's `error`): the movie source reports a decode or
 * read error it recovers from as a warning, and any such line makes the batch untrusted.
 * `format_opts=protocol_whitelist=file`: the inner open gets the same whitelist as the per-file
 * pass (without it a crafted playlist could open file,crypto,data URLs).
 */
export function batchArgs(items: readonly BatchItem[]): string[] {
  const sources = items.map(
    (it, i) => `movie=${escapeFilterValue(it.path)}:format_opts=protocol_whitelist=file[out${i}]`,
  );
  const args = ['-v', 'warning', '-protocol_whitelist', 'file', '-print_format', 'json=compact=1'];
  args.push('-show_streams', '-show_entries');
  args.push('frame=stream_index,best_effort_timestamp_time,pkt_duration_time,duration_time');
  args.push('-f', 'lavfi', sources.join(';'));
  return args;
}

/** Warnings every clean file gives through a movie source; they say nothing about the file. */
const BENIGN = [/^\[Parsed_movie_\d+ @ 0x[0-9a-f]+\] EOF timestamp not reliable$/];

const seconds = z
  .string()
  .optional()
  .transform((t) => (t === undefined ? undefined : Number(t)))
  .transform((n) => (n !== undefined && Number.isFinite(n) ? n : undefined));
const BatchOutputSchema = z.object({
  frames: z.array(
    z.object({
      stream_index: z.number().int().nonnegative(),
      best_effort_timestamp_time: seconds,
      pkt_duration_time: seconds,
      duration_time: seconds,
    }),
  ),
  streams: z.array(z.object({ index: z.number().int().nonnegative() }).passthrough()),
});
type Frame = z.infer<typeof BatchOutputSchema>['frames'][number];

/**
 * What the batch proves, per item: the verified media when it is trusted, undefined when that
 * item must be checked alone. All undefined unless the whole run was clean. Pure.
 */
export function trustBatch(
  items: readonly BatchItem[],
  stdout: string,
  stderr: string,
): (VerifiedMedia | undefined)[] {
  const none = items.map(() => undefined);
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  if (lines.some((l) => !BENIGN.some((re) => re.test(l.trim())))) return none;
  let parsed: z.infer<typeof BatchOutputSchema>;
  try {
    const r = BatchOutputSchema.safeParse(JSON.parse(stdout));
    if (!r.success) return none;
    parsed = r.data;
  } catch {
    return none;
  }
  if (parsed.streams.length !== items.length) return none;
  const byStream = items.map((): Frame[] => []);
  for (const f of parsed.frames) byStream[f.stream_index]?.push(f);
  const verified = items.map((it, i) => {
    const frames = byStream[i]!;
    if (!lastFrameHasDuration(frames)) return undefined;
    const stream = parsed.streams.find((s) => s.index === i);
    const info = mediaInfoOf({ streams: stream ? [stream] : [], format: {} } as FfprobeOutput);
    const report: DecodeReport = { decodedS: decodedSeconds(frames), errors: [] };
    return judgeMedia(it.want, info, report) === undefined ? verdict(it.want, info, report) : undefined;
  });
  // All or nothing: a file that ended early without a word could have ended the others' reading
  // too (one graph), so one doubtful file sends every file of the batch to its own check.
  return verified.every((v) => v !== undefined) ? verified : none;
}

/**
 * The decoded length ends at the last frame's end: through a movie source that frame sometimes
 * comes without its duration (then the length would be one frame short of the per-file pass's).
 */
function lastFrameHasDuration(frames: readonly Frame[]): boolean {
  let last: Frame | undefined;
  for (const f of frames) {
    if (f.best_effort_timestamp_time === undefined) continue;
    if (!last || f.best_effort_timestamp_time >= last.best_effort_timestamp_time!) last = f;
  }
  return last !== undefined && (last.duration_time ?? last.pkt_duration_time) !== undefined;
}
