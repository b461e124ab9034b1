import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { type MediaTraceEvent, runBinary } from '../../src/pipeline/media/run.ts';
import type { MediaExpectation } from '../../src/pipeline/media/verify.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';

export const ff = (args: string[]) => runBinary('ffmpeg', ['-v', 'error', '-y', ...args]);

/** Provider-like files: B-frames, an audio track in a clip, lossy audio, JPEG and WebP stills. */
export async function realFiles(dir: string): Promise<{ path: string; want: MediaExpectation }[]> {
  const f = (n: string) => join(dir, n);
  await ff([
    ...['-f', 'lavfi', '-i', 'testsrc2=s=360x640:r=30,trim=duration=4.2', '-f', 'lavfi', '-i', 'sine=d=4.2'],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-bf',
      '3',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      f('bf.mp4'),
    ],
  ]);
  await ff(['-f', 'lavfi', '-i', 'mandelbrot=s=320x568:r=24,trim=duration=5', '-c:v', 'libx264', f('m.mp4')]);
  await ff(['-f', 'lavfi', '-i', 'testsrc2=s=720x1280', '-frames:v', '1', f('still.jpg')]);
  await ff(['-f', 'lavfi', '-i', 'testsrc2=s=512x512', '-frames:v', '1', f('still.webp')]);
  await ff(['-f', 'lavfi', '-i', 'sine=f=330:d=12.3', '-c:a', 'libmp3lame', f('music.mp3')]);
  await ff(['-f', 'lavfi', '-i', 'sine=f=440:d=3.1', '-c:a', 'aac', f('voice.m4a')]);
  return [
    { path: f('bf.mp4'), want: { kind: 'clip', label: "scene 1's clip", durationS: 4 } },
    { path: f('m.mp4'), want: { kind: 'clip', label: "scene 2's clip", durationS: 5 } },
    { path: f('still.jpg'), want: { kind: 'image', label: "scene 1's image" } },
    { path: f('still.webp'), want: { kind: 'image', label: "scene 2's image" } },
    { path: f('music.mp3'), want: { kind: 'music', label: 'the music track', durationS: 30 } },
    { path: f('voice.m4a'), want: { kind: 'voice', label: "scene 1's voice-over" } },
    { path: await fakeMedia('video', 5), want: { kind: 'clip', label: "scene 3's clip", durationS: 5 } },
    { path: await fakeMedia('image'), want: { kind: 'image', label: "scene 3's image" } },
    { path: await fakeMedia('audio', 30), want: { kind: 'music', label: 'the music track', durationS: 30 } },
  ];
}

/** The ffprobe processes started while `fn` runs. */
export async function probes<T>(fn: () => Promise<T>): Promise<{ result: T; runs: MediaTraceEvent[] }> {
  const runs: MediaTraceEvent[] = [];
  const on = (m: unknown) => {
    if (/ffprobe$/.test((m as MediaTraceEvent).bin)) runs.push(m as MediaTraceEvent);
  };
  subscribe('adgen:media-process', on);
  try {
    return { result: await fn(), runs };
  } finally {
    unsubscribe('adgen:media-process', on);
  }
}
