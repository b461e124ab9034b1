import { AppError, CancelledError } from '../../errors.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';

/**
 * The one place the delivery loudness lives. Social feeds normalise playback to about -14 LUFS
 * integrated, and true peaks above -1 dBTP distort once re-encoded (PLATFORM-NOTES, "Loudness").
 */
export const LOUDNESS_TARGET = {
  integratedLufs: -14,
  toleranceLu: 1,
  truePeakDbtp: -1,
  /**
   * The limiter sits 1 dB under the true-peak target because AAC, which runs after it, re-creates
   * peaks above what it was fed: measured +0.4 dB on a punchy track at -14 LUFS (64 kbps); only
   * noise squashed to -6 LUFS, a level this target never produces, overshot by more.
   */
  limiterCeilingDbtp: -2,
  /** A near-silent track is not turned into amplified hiss: gains stop at +-30 dB. */
  maxGainDb: 30,
  /** Under a voice-over, the music bed sits this far below the voice (LU). */
  musicUnderVoiceLu: -10,
  /**
   * While a line is spoken the music drops this much more (ducking), ramped over `duckRampS`:
   * the bed stays present between lines and gets out of the way of the words.
   */
  duckUnderVoiceDb: 8,
  duckRampS: 0.2,
} as const;

/** ebur128's absolute gate: a silent input reports -70 LUFS, which means "nothing to measure". */
const SILENCE_LUFS = -70;

/**
 * Inputs are measured after the same conversion the mix applies (48 kHz stereo float): a 5.1
 * or mono track is folded or spread with ffmpeg's own coefficients, not ebur128's channel
 * weights, so only the converted signal has the loudness the mix will hear.
 */
export const MIX_FORMAT = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

export interface Loudness {
  integratedLufs: number;
  truePeakDbtp: number;
  /** Decoded length of the audio, which is what the loop plan needs (not the container's claim). */
  durationS: number;
}

/** A track to be mixed: its measurement (if any) and where it should sit relative to the others. */
export interface GainRequest {
  loudness?: Loudness;
  /** Level relative to the other tracks in LU (0 = as loud as the loudest role). */
  levelLu?: number;
}

export function isMeasurable(l: Loudness | undefined): l is Loudness {
  return l !== undefined && Number.isFinite(l.integratedLufs) && l.integratedLufs > SILENCE_LUFS;
}

/**
 * Gain in dB for each track so that the sum of all measurable tracks lands on the target. Each
 * track aims at target + its offset - 10*log10(sum of 10^(offset/10)): uncorrelated signals add
 * in power, so the mix of those aims is exactly the target. Unmeasurable (silent) tracks get 0 dB
 * and stay out of the sum.
 */
export function mixGainsDb(
  tracks: readonly GainRequest[],
  targetLufs: number = LOUDNESS_TARGET.integratedLufs,
): number[] {
  const offsets = tracks.filter((t) => isMeasurable(t.loudness)).map((t) => t.levelLu ?? 0);
  const share = 10 * Math.log10(offsets.reduce((s, o) => s + 10 ** (o / 10), 0));
  const max = LOUDNESS_TARGET.maxGainDb;
  return tracks.map((t) => {
    if (!isMeasurable(t.loudness)) return 0;
    const aim = targetLufs + (t.levelLu ?? 0) - share;
    const gain = aim - t.loudness.integratedLufs;
    return Math.round(Math.min(max, Math.max(-max, gain)) * 100) / 100;
  });
}

export function dbToLinear(db: number): number {
  return 10 ** (db / 20);
}

const SUMMARY_VALUE = (label: string, unit: string) =>
  new RegExp(`${label}:\\s+(-?(?:\\d+(?:\\.\\d+)?|inf))\\s+${unit}`);

/** Reads the summary ebur128 prints at the end (integrated loudness and, with peak=true, true peak). */
export function parseEbur128Summary(stderr: string): { integratedLufs: number; truePeakDbtp: number } {
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
  const i = SUMMARY_VALUE('I', 'LUFS').exec(summary)?.[1];
  const peak = SUMMARY_VALUE('Peak', 'dBFS').exec(summary)?.[1];
  if (!stderr.includes('Summary:') || i === undefined || peak === undefined) {
    throw new AppError('loudness_output', 'ffmpeg printed no loudness summary for the audio');
  }
  const value = (s: string) => (s.endsWith('inf') ? (s.startsWith('-') ? -Infinity : Infinity) : Number(s));
  return { integratedLufs: value(i), truePeakDbtp: value(peak) };
}

/** The last `out_time_us` ffmpeg's progress reported: how much audio was actually decoded. */
export function parseDecodedSeconds(progress: string): number {
  const times = [...progress.matchAll(/^out_time_us=(\d+)/gm)].map((m) => Number(m[1]));
  return times.length ? times[times.length - 1]! / 1e6 : 0;
}

/**
 * Runs ffmpeg with `args` (which must end in an ebur128 filter feeding a null output with
 * `-progress pipe:1`) and reads the measurement. `what` names the audio in error messages.
 */
export async function runEbur128(
  args: string[],
  what: string,
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
): Promise<Loudness> {
  try {
    const opts = { signal, limit: bins.limit, stderrTailBytes: 16_000 };
    const { stdout, stderrTail } = await runBinary(bins.ffmpeg, args, opts);
    return { ...parseEbur128Summary(stderrTail), durationS: parseDecodedSeconds(stdout) };
  } catch (err) {
    if (err instanceof CancelledError || (err instanceof AppError && err.code === 'ffmpeg_missing'))
      throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError('loudness_measure', `could not measure the loudness of ${what}: ${why}`, {
      cause: err,
    });
  }
}

/** ebur128 after the mix's format; framelog=verbose keeps its ten lines a second out of stderr. */
export const METER = 'ebur128=peak=true:framelog=verbose';
/** Common head of every measuring run: the summary is printed at `info`. */
export const MEASURE_ARGS = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info'] as const;

/**
 * Decodes only the audio (no video, well under a second for 30 s) and measures it as the mix
 * will see it. Same file whitelist as compose: a crafted file must not make ffmpeg open URLs.
 */
export function measureLoudness(path: string, bins?: FfmpegBins, signal?: AbortSignal): Promise<Loudness> {
  const args = [
    ...MEASURE_ARGS,
    '-protocol_whitelist',
    'file',
    '-i',
    path,
    '-map',
    '0:a:0',
    '-vn',
    '-sn',
    '-dn',
  ];
  args.push('-af', `${MIX_FORMAT},${METER}`, '-f', 'null', '-progress', 'pipe:1', '-');
  return runEbur128(args, path, bins, signal);
}
