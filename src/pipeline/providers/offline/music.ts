import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MusicGen, MusicInput } from '../ports.ts';
import { offlineGen } from './offline-gen.ts';
import { synthesise } from './synth.ts';
import { SAMPLE_RATE } from './synth-voices.ts';
import { encodeWav } from './wav.ts';

export interface OfflineMusicOptions {
  /** Artificial latency inside collect (crash and cancel tests); ends early on abort. */
  delayMs?: number;
}

/** A music bed synthesised in TypeScript: no ffmpeg, no network, the same file for the same input. */
export function createOfflineMusicGen(opts: OfflineMusicOptions = {}): MusicGen {
  return offlineGen<MusicInput>('music', opts.delayMs, async (input, ctx) => {
    const bus = await synthesise({
      durationS: Math.max(1, input.durationS),
      tempoBpm: input.tempoBpm,
      keywords: [input.prompt, ...input.keywords],
      seed: input.seed,
    });
    const out = join(ctx.outDir, `${ctx.fileStem}.wav`);
    await writeFile(out, encodeWav(bus, SAMPLE_RATE));
    return [out];
  });
}
