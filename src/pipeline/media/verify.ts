import { MediaRejectedError } from '../../errors.ts';
import { decodeMedia } from './check-pass.ts';
import type { MediaInfo } from './probe.ts';
import { DEFAULT_BINS, type FfmpegBins } from './run.ts';

export { checkArgs, decodeMedia, parseCheck } from './check-pass.ts';

/**
 * Provider media is checked by decoding it, not by reading its header: a truncated faststart MP4
 * probes as 5 s and decodes as 2 s, and a file without `moov` cannot be composed at all (issue 8).
 * Pure builders and judges first; `verifyMedia` runs them.
 */
export type MediaKind = 'image' | 'clip' | 'music' | 'video' | 'voice';

export interface MediaExpectation {
  kind: MediaKind;
  /** What the user reads first, e.g. "scene 3's clip". */
  label: string;
  /** Seconds asked of the provider (clips, music). */
  durationS?: number;
}

export interface DecodeReport {
  /** Timeline decoded: from the first decoded frame's start to the last one's end. */
  decodedS: number;
  /** stderr lines at error level; a clean file has none. */
  errors: string[];
  /** Set when ffmpeg could not open or read the file at all. */
  fatal?: string;
}

export interface VerifiedMedia {
  durationS: number;
  width?: number;
  height?: number;
}

/** A clip may come back a little short (frame rounding), not a third short. */
export const MIN_CLIP_FRACTION = 0.9;
/** Music shorter than the ad is looped by the composer; below this it is not music. */
export const MIN_MUSIC_S = 5;
/** A spoken line of one short word still lasts this long. */
export const MIN_VOICE_S = 0.2;
export const IMAGE_SIDE_PX = { min: 64, max: 8192 };

const s1 = (x: number) => `${Math.round(x * 10) / 10} s`;

function whyUndecodable(lines: readonly string[]): string {
  const text = lines.join('\n');
  if (/moov atom not found|partial file|End of file|Truncat/i.test(text)) return 'the file is truncated';
  if (/Invalid data found|could not find codec|Unsupported|unknown format/i.test(text))
    return 'it is not a media file ffmpeg can read';
  return `ffmpeg reported "${
    lines
      .at(-1)
      ?.replace(/^\[[^\]]*\]\s*/, '')
      .slice(0, 120) ?? 'an error'
  }"`;
}

/** The plain reason a file is unusable, or undefined when it is fine. Pure. */
export function judgeMedia(
  want: MediaExpectation,
  info: MediaInfo | undefined,
  d: DecodeReport,
): string | undefined {
  const { label } = want;
  if (!info) return `${label} could not be decoded: ${whyUndecodable(d.errors)}`;
  // A missing stream first: ffmpeg refuses to decode "nothing" with a less helpful message.
  const audio = want.kind === 'music' || want.kind === 'voice';
  if (audio && !info.audio) return `${label} has no audio`;
  if (!audio && want.kind !== 'video' && !info.video) return `${label} has no picture`;
  if (d.fatal !== undefined) return `${label} could not be decoded: ${whyUndecodable(d.errors)}`;
  if (d.errors.length > 0) {
    const why = whyUndecodable(d.errors);
    if (why.startsWith('ffmpeg reported'))
      return `${label} has ${d.errors.length} decode error${d.errors.length === 1 ? '' : 's'}: ${why}`;
    const partial = why === 'the file is truncated' && want.kind !== 'image';
    return `${label} could not be decoded: ${why}${partial ? ` (only ${s1(d.decodedS)} of it decodes)` : ''}`;
  }
  if (want.kind === 'music') {
    const min = Math.min(MIN_MUSIC_S, want.durationS ?? MIN_MUSIC_S);
    return d.decodedS < min
      ? `${label} is ${s1(d.decodedS)} long; at least ${s1(min)} are needed`
      : undefined;
  }
  if (want.kind === 'voice') {
    return d.decodedS < MIN_VOICE_S ? `${label} is ${s1(d.decodedS)} long: no speech in it` : undefined;
  }
  if (want.kind === 'image') {
    const { width, height } = info.video!;
    const sane = (n: number) => n >= IMAGE_SIDE_PX.min && n <= IMAGE_SIDE_PX.max;
    return sane(width) && sane(height)
      ? undefined
      : `${label} is ${width}x${height} pixels, not a usable image`;
  }
  const asked = want.durationS;
  if (asked !== undefined && d.decodedS < asked * MIN_CLIP_FRACTION)
    return `${label} is ${s1(d.decodedS)} long; ${s1(asked)} were asked`;
  return undefined;
}

/** Throws MediaRejectedError with the plain reason when the file is unusable. */
export async function verifyMedia(
  path: string,
  want: MediaExpectation,
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
): Promise<VerifiedMedia> {
  const { info, report } = await decodeMedia(path, want.kind, bins, signal);
  return verdict(want, info, report);
}

/** judgeMedia's verdict as the verified media, or MediaRejectedError with the plain reason. */
export function verdict(
  want: MediaExpectation,
  info: MediaInfo | undefined,
  report: DecodeReport,
): VerifiedMedia {
  const reason = judgeMedia(want, info, report);
  if (reason) throw new MediaRejectedError(reason);
  return {
    durationS: Math.round(report.decodedS * 1000) / 1000,
    ...(info?.video ? { width: info.video.width, height: info.video.height } : {}),
  };
}
