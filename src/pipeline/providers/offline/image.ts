import { join, resolve } from 'node:path';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from '../../media/run.ts';
import type { ImageGen, ImageInput } from '../ports.ts';
import { buildImageGraph } from './image-graph.ts';
import { offlineGen } from './offline-gen.ts';

export interface OfflineMediaOptions {
  bins?: FfmpegBins;
  /** Artificial latency inside collect (crash and cancel tests); ends early on abort. */
  delayMs?: number;
}

/** ffmpeg args for one image: every input is a lavfi source, so no file is read. */
export function imageArgs(graph: string, outPath: string): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-frames:v',
    '1',
    '-c:v',
    'png',
    '-pix_fmt',
    'rgb24',
    // A single image, not a sequence: without this a `%d` in the folder name is a pattern.
    '-update',
    '1',
    `file:${resolve(outPath)}`,
  ];
}

/** Two at a time: this is a two-core machine and each render is mostly single-threaded. */
async function inPairs<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(fn));
}

export function createOfflineImageGen(opts: OfflineMediaOptions = {}): ImageGen {
  const bins = opts.bins ?? DEFAULT_BINS;
  return offlineGen<ImageInput>('image', opts.delayMs, async (input, ctx) => {
    const count = Math.max(1, Math.floor(input.count));
    const files = Array.from({ length: count }, (_, i) => join(ctx.outDir, `${ctx.fileStem}-${i}.png`));
    await inPairs(
      files.map((file, i) => ({ file, i })),
      async ({ file, i }) => {
        const graph = buildImageGraph({ ...input, variant: i });
        await runBinary(bins.ffmpeg, imageArgs(graph, file), { signal: ctx.signal, limit: bins.limit });
      },
    );
    return files;
  });
}
