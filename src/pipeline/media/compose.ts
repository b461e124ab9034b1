import { rename, rm, stat } from 'node:fs/promises';
import { AppError, COMPOSE_CORRUPT, NonRetryableError } from '../../errors.ts';
import { measureComposeAudio } from './audio-calibrate.ts';
import { checkComposed } from './compose-check.ts';
import { buildComposeArgs, type ComposeInput, totalDurationS } from './compose-graph.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';
import { freshTempPath, removeStaleTemps } from './temp-files.ts';

export interface ComposeOptions {
  bins?: FfmpegBins;
  signal?: AbortSignal;
  /** Fraction 0..1 of the output timeline encoded so far; never goes backwards. */
  onProgress?: (fraction: number) => void;
}

export interface ComposeResult {
  path: string;
  durationS: number;
  sizeBytes: number;
}

/** A dropped xfade input shortens the output by a whole slot; AAC priming adds only ~20 ms. */
const DURATION_TOLERANCE_S = 0.5;

/**
 * One ffmpeg pass: normalise, crossfade, music, size-targeted H.264 + AAC with +faststart.
 * Writes a temp file unique to this attempt and renames it into place only after a full decode
 * found no error, so a killed run never leaves a half file under the final name, an orphan can
 * never corrupt it, and an output that misses its size target is never handed on for upload.
 */
export async function compose(input: ComposeInput, opts: ComposeOptions = {}): Promise<ComposeResult> {
  // Audio only, before the pass (about a second): the single pass then applies fixed gains,
  // which is what holds the loudness target whatever level the providers' audio comes at.
  const audio = await measureComposeAudio(input, opts.bins, opts.signal);
  return composeSized({ ...input, ...audio }, opts);
}

async function composeSized(input: ComposeInput, opts: ComposeOptions): Promise<ComposeResult> {
  try {
    return await composeOnce(input, opts);
  } catch (err) {
    // x264's average bitrate can overshoot a small target by a few percent. One more pass with
    // the bitrate scaled down by the overshoot fits it; it only runs when the first one missed.
    if (!(err instanceof SizeMissedError) || (input.bitrateScale ?? 1) < 1) throw err;
    const scale = (input.maxBytes! / err.sizeBytes) * 0.95;
    return composeOnce({ ...input, bitrateScale: scale }, opts).catch((again: unknown) => {
      // A scaled budget below the profile's floor: the miss itself is the clearer message.
      throw again instanceof AppError && again.code === 'size_target_unreachable' ? err : again;
    });
  }
}

class SizeMissedError extends NonRetryableError {
  constructor(
    readonly sizeBytes: number,
    maxBytes: number,
  ) {
    super(
      'size_target_missed',
      `composed file is ${sizeBytes} bytes, over the ${maxBytes}-byte limit; ` +
        'use the draft profile or a larger upload limit',
    );
  }
}

async function composeOnce(input: ComposeInput, opts: ComposeOptions): Promise<ComposeResult> {
  const bins = opts.bins ?? DEFAULT_BINS;
  await removeStaleTemps(input.outPath);
  const partPath = freshTempPath(input.outPath);
  // Builds (and validates) before anything touches the disk.
  const args = buildComposeArgs({ ...input, outPath: partPath });
  const total = totalDurationS(input.clips);
  let reported = 0;
  const onTime = opts.onProgress
    ? (seconds: number) => {
        const fraction = Math.min(1, Math.max(0, seconds / total));
        if (fraction <= reported) return;
        reported = fraction;
        opts.onProgress?.(fraction);
      }
    : undefined;
  try {
    await runBinary(bins.ffmpeg, args, { signal: opts.signal, onTime, limit: bins.limit });
    // A header says nothing about the frames after it: decode all of them (~1.3 s for a 30 s
    // 1080x1920 final on 2 cores; the encode takes ~25 s).
    const { info, report } = await checkComposed(partPath, bins, opts.signal);
    if (!info || report.fatal !== undefined || report.errors.length > 0) {
      throw new AppError(
        COMPOSE_CORRUPT,
        `the composed file did not decode cleanly (${report.errors.length} errors): ${report.errors.slice(0, 3).join('; ')}`,
      );
    }
    if (!info.video || !info.audio) {
      throw new AppError('compose_streams', `composed file lacks a ${info.video ? 'audio' : 'video'} stream`);
    }
    if (Math.abs(info.durationS - total) > DURATION_TOLERANCE_S) {
      throw new AppError('compose_duration', `composed file is ${info.durationS}s long, expected ${total}s`);
    }
    const { size } = await stat(partPath);
    if (input.maxBytes !== undefined && size > input.maxBytes) {
      throw new SizeMissedError(size, input.maxBytes);
    }
    await rename(partPath, input.outPath);
    if (reported < 1) opts.onProgress?.(1);
    return { path: input.outPath, durationS: info.durationS, sizeBytes: size };
  } catch (err) {
    await rm(partPath, { force: true }).catch(() => undefined);
    throw err;
  }
}
