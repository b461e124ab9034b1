import type { Bus } from './synth-voices.ts';

/** Peak of both channels (absolute). */
export function peakOf(bus: Bus): number {
  let peak = 0;
  for (let i = 0; i < bus.l.length; i++) {
    const a = Math.abs(bus.l[i]!);
    const b = Math.abs(bus.r[i]!);
    if (a > peak) peak = a;
    if (b > peak) peak = b;
  }
  return peak;
}

/**
 * 16-bit PCM stereo WAV, normalised so the loudest sample sits at `peakDb` dBFS: the bed never
 * clips, and every mood comes out equally loud before the composer mixes it under the video.
 */
export function encodeWav(bus: Bus, sampleRate: number, peakDb = -1): Buffer {
  const frames = bus.l.length;
  const peak = peakOf(bus);
  const gain = peak > 0 ? 10 ** (peakDb / 20) / peak : 0;
  const dataBytes = frames * 4;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(2, 22); // stereo
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 4, 28); // byte rate
  buf.writeUInt16LE(4, 32); // block align
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  const pcm = new Int16Array(buf.buffer, buf.byteOffset + 44, frames * 2);
  for (let i = 0; i < frames; i++) {
    pcm[2 * i] = Math.round(Math.max(-1, Math.min(1, bus.l[i]! * gain)) * 32767);
    pcm[2 * i + 1] = Math.round(Math.max(-1, Math.min(1, bus.r[i]! * gain)) * 32767);
  }
  return buf;
}
