import { runBinary } from '../../src/pipeline/media/run.ts';

/** Timing helpers the compose bench tools share (compose.bench.ts, compose-profile.ts, compose-split.ts). */

/** Runs ffmpeg under /usr/bin/time; returns wall and CPU seconds (user + system). */
export async function timedFfmpeg(args: string[]): Promise<{ wall: number; cpu: number }> {
  const { stderrTail } = await runBinary('/usr/bin/time', ['-f', 'TIMES %U %S %e', 'ffmpeg', ...args]);
  const m = /TIMES ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderrTail);
  if (!m) throw new Error(`no timing in: ${stderrTail.slice(-300)}`);
  return { cpu: Number(m[1]) + Number(m[2]), wall: Number(m[3]) };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
