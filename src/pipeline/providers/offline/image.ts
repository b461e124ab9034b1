import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_BINS, type FfmpegBins, runBinary } from '../../media/run.ts';
import type { ImageGen, ImageInput } from '../ports.ts';
import { buildImageGraph } from './image-graph.ts';
import { offlineGen } from './offline-gen.ts';

export const TITLE_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface OfflineMediaOptions {
  bins?: FfmpegBins;
  /** Artificial latency inside collect (crash and cancel tests); ends early on abort. */
  delayMs?: number;
  /** Override the title font (tests use a missing path to check the no-text fallback). */
  fontFile?: string;
}

/** ffmpeg args for one image: every input is a lavfi source, so no file is read but textfiles. */
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
  const fontPath = opts.fontFile ?? TITLE_FONT;
  return offlineGen<ImageInput>('image', opts.delayMs, async (input, ctx) => {
    // Checked per collect, not at import: a missing font means no title, never a failure.
    const fontFile = existsSync(fontPath) ? fontPath : null;
    const count = Math.max(1, Math.floor(input.count));
    const files = Array.from({ length: count }, (_, i) => join(ctx.outDir, `${ctx.fileStem}-${i}.png`));
    await inPairs(
      files.map((file, i) => ({ file, i })),
      async ({ file, i }) => {
        const textPath = (k: number) => join(ctx.outDir, `${ctx.fileStem}-${i}.title${k}.txt`);
        const { graph, lines } = buildImageGraph({ ...input, variant: i, fontFile, textPath });
        await Promise.all(lines.map((line, k) => writeFile(textPath(k), line, 'utf8')));
        try {
          await runBinary(bins.ffmpeg, imageArgs(graph, file), { signal: ctx.signal, limit: bins.limit });
        } finally {
          await Promise.all(lines.map((_, k) => rm(textPath(k), { force: true })));
        }
      },
    );
    return files;
  });
}
