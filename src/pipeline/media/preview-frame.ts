import { type FfmpegBins, runBinary } from './run.ts';

/** Width of the status preview: a glance at the latest clip, not a deliverable. */
export const PREVIEW_WIDTH = 240;

/**
 * Pure: ffmpeg arguments that write one small JPEG of `clip` at `atS` seconds. Local files only
 * (`-protocol_whitelist file`), by generated names.
 */
export function previewFrameArgs(clip: string, atS: number, out: string): string[] {
  return [
    ...['-v', 'error', '-y', '-protocol_whitelist', 'file'],
    ...['-ss', Math.max(0, atS).toFixed(2), '-i', clip],
    ...['-frames:v', '1', '-vf', `scale=${PREVIEW_WIDTH}:-2`, '-q:v', '5', out],
  ];
}

/** The middle frame of `clip` as a JPEG at `out`; null when it could not be made (cosmetic). */
export async function previewFrame(
  bins: FfmpegBins,
  clip: string,
  durationS: number,
  out: string,
  signal?: AbortSignal,
): Promise<string | null> {
  try {
    await runBinary(bins.ffmpeg, previewFrameArgs(clip, durationS / 2, out), {
      signal,
      limit: bins.limit,
      niceness: 15,
    });
    return out;
  } catch {
    return null;
  }
}
