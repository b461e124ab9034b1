import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MusicGen, MusicInput } from '../ports.ts';
import { offlineJobId, sleep, throwIfAborted } from './common.ts';
import { synthesise } from './synth.ts';
import { SAMPLE_RATE } from './synth-voices.ts';
import { encodeWav } from './wav.ts';

export interface OfflineMusicOptions {
  /** Artificial latency inside collect (crash and cancel tests); ends early on abort. */
  delayMs?: number;
}

/** A music bed synthesised in TypeScript: no ffmpeg, no network, the same file for the same input. */
export function createOfflineMusicGen(opts: OfflineMusicOptions = {}): MusicGen {
  return {
    model: 'offline:music',
    // Free: the storyboard's cost estimate shows 0 for offline jobs.
    estimateUsd: () => 0,
    submit: async (input: MusicInput) => ({ id: offlineJobId('music', input), costUsd: 0 }),
    async collect(_job, input, ctx) {
      const started = Date.now();
      await sleep(opts.delayMs ?? 0, ctx.signal);
      throwIfAborted(ctx.signal);
      const bus = await synthesise({
        durationS: Math.max(1, input.durationS),
        tempoBpm: input.tempoBpm,
        keywords: [input.prompt, ...input.keywords],
        seed: input.seed,
      });
      const out = join(ctx.outDir, `${ctx.fileStem}.wav`);
      await writeFile(out, encodeWav(bus, SAMPLE_RATE));
      return { files: [out], predictTimeS: (Date.now() - started) / 1000, costUsd: 0 };
    },
  };
}
