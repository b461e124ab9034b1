import type { MediaInfo } from './probe.ts';
import { DEFAULT_BINS, type FfmpegBins } from './run.ts';
import { type DecodeReport, decodeMedia } from './verify.ts';

/**
 * The full decode of a composed file before it is handed on: the same check as every provider
 * file (check-pass.ts: streams and every frame decoded, one ffprobe pass), with the decoder's
 * threads on. ffprobe decodes on one thread unless told otherwise; provider files are checked
 * eight at once, so one thread each is right there, but the composed file is checked alone
 * and waits for nothing else: 1080x1920 final, 2.4 CPU-s either way, ~2.4 s wall on one
 * thread against ~1.3 s on two cores (measured 2026-12-01). Frame threads report a damaged
 * slice as one thread does (test/media/compose-verify.test.ts, corrupting-ffmpeg.mjs).
 */
export function checkComposed(
  path: string,
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
): Promise<{ info?: MediaInfo; report: DecodeReport }> {
  return decodeMedia(path, 'any', bins, signal, { allThreads: true });
}
