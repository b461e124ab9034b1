import { open } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from './run.ts';

export interface MediaInfo {
  durationS: number;
  video?: { width: number; height: number; fps: number; codec: string; pixFmt: string };
  audio?: { codec: string; sampleRate: number; channels: number };
  formatName: string;
  sizeBytes: number;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
  duration?: string;
}
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

/** ffprobe rates are fractions like "30000/1001"; "0/0" means unknown. */
function parseRate(rate: string | undefined): number {
  if (!rate) return 0;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den || !Number.isFinite(num / den)) return 0;
  return num / den;
}

export async function probeMedia(path: string, bins: FfmpegBins = DEFAULT_BINS): Promise<MediaInfo> {
  // Same whitelist as compose: a crafted file must not make ffprobe open URLs.
  const args = ['-v', 'error', '-protocol_whitelist', 'file', '-print_format', 'json'];
  args.push('-show_format', '-show_streams', path);
  const { stdout } = await runBinary(bins.ffprobe, args, { limit: bins.limit });
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(stdout) as FfprobeOutput;
  } catch (err) {
    throw new AppError('ffprobe_output', `ffprobe gave unreadable output for ${path}`, { cause: err });
  }
  return mediaInfoOf(parsed);
}

/** What ffprobe's `-show_format -show_streams` JSON says; the check (verify.ts) reads the same. */
export function mediaInfoOf(parsed: FfprobeOutput): MediaInfo {
  const streams = parsed.streams ?? [];
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  const info: MediaInfo = {
    durationS: Number(parsed.format?.duration ?? v?.duration ?? a?.duration ?? 0) || 0,
    formatName: parsed.format?.format_name ?? '',
    sizeBytes: Number(parsed.format?.size ?? 0) || 0,
  };
  if (v) {
    info.video = {
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: parseRate(v.avg_frame_rate) || parseRate(v.r_frame_rate),
      codec: v.codec_name ?? '',
      pixFmt: v.pix_fmt ?? '',
    };
  }
  if (a) {
    info.audio = {
      codec: a.codec_name ?? '',
      sampleRate: Number(a.sample_rate ?? 0),
      channels: a.channels ?? 0,
    };
  }
  return info;
}

/**
 * True when the `moov` atom precedes `mdat` at the top level, i.e. `+faststart` worked and a
 * player can start before the whole file arrives. Reads only atom headers (no ffmpeg).
 */
export async function moovBeforeMdat(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const { size: fileSize } = await fh.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= fileSize) {
      const { bytesRead } = await fh.read(header, 0, 16, offset);
      if (bytesRead < 8) return false;
      let atomSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      // size 1: a 64-bit size follows the type; size 0: the atom runs to the end of the file.
      if (atomSize === 1) {
        if (bytesRead < 16) return false;
        atomSize = Number(header.readBigUInt64BE(8));
      } else if (atomSize === 0) {
        return false;
      }
      if (atomSize < 8) return false; // corrupt; stop rather than loop forever
      offset += atomSize;
    }
    return false;
  } finally {
    await fh.close();
  }
}
