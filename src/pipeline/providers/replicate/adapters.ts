import { NonRetryableError } from '../../../errors.ts';
import type { ImageInput, MusicInput, VideoInput } from '../ports.ts';
import type { MediaKind } from './download.ts';
import { costOf, type Price, resolutionFor } from './prices.ts';
import { stableAudioMusic } from './stable-audio.ts';

/** Turns a local file into something a model can fetch (a data URI or an uploaded file's URL). */
export type FileRef = (localPath: string) => Promise<string>;

/**
 * How one model family takes its input and bills its output. Switching models within a family is
 * configuration; a new family is one more adapter here.
 */
export interface ModelAdapter<I> {
  family: string;
  /** What the downloads must be. */
  media: MediaKind;
  input(job: I, file: FileRef): Promise<Record<string, unknown>>;
  estimateUsd(job: I, price: Price | undefined): number;
  /** Final cost once the prediction ran; `outputs` counts the files it produced. */
  costUsd(job: I, price: Price | undefined, run: { outputs: number; predictTimeS?: number }): number;
}

/** black-forest-labs/flux-*: 9:16 straight from the model, so seed images need no cropping. */
export const fluxImage: ModelAdapter<ImageInput> = {
  family: 'flux',
  media: 'image',
  input: async (job) => ({
    prompt: job.prompt,
    aspect_ratio: '9:16',
    num_outputs: Math.min(4, Math.max(1, job.count)),
    output_format: 'png',
    seed: job.seed,
    go_fast: true,
  }),
  estimateUsd: (job, price) => costOf(price, { images: job.count }),
  costUsd: (_job, price, run) => costOf(price, { images: run.outputs }),
};

/**
 * bytedance/seedance-*: image-to-video. `aspect_ratio` is ignored when an image is given, so the
 * seed image must already be 9:16 (it is: flux makes it so). Billed per second of output.
 */
export const seedanceVideo: ModelAdapter<VideoInput> = {
  family: 'seedance',
  media: 'video',
  input: async (job, file) => ({
    prompt: job.prompt,
    image: await file(job.imagePath),
    duration: Math.min(12, Math.max(2, Math.round(job.durationS))),
    resolution: resolutionFor(job.width, job.height),
    fps: 24,
    camera_fixed: false,
    seed: job.seed,
  }),
  estimateUsd: (job, price) =>
    costOf(price, { videoS: job.durationS, res: resolutionFor(job.width, job.height) }),
  costUsd: (job, price, run) =>
    run.outputs === 0
      ? 0
      : costOf(price, { videoS: job.durationS, res: resolutionFor(job.width, job.height) }),
};

/** meta/musicgen (pinned version): at most 30 s per job, billed by compute time. */
export const musicgenMusic: ModelAdapter<MusicInput> = {
  family: 'musicgen',
  media: 'audio',
  input: async (job) => ({
    prompt: job.prompt,
    duration: Math.min(30, Math.max(1, Math.round(job.durationS))),
    model_version: 'stereo-large',
    output_format: 'wav',
    normalization_strategy: 'peak',
    seed: job.seed,
  }),
  estimateUsd: (_job, price) => costOf(price, {}),
  costUsd: (_job, price, run) =>
    run.predictTimeS === undefined ? costOf(price, {}) : costOf(price, { computeS: run.predictTimeS }),
};

const FAMILIES = {
  image: [{ prefix: 'black-forest-labs/flux', adapter: fluxImage }],
  video: [{ prefix: 'bytedance/seedance', adapter: seedanceVideo }],
  music: [
    { prefix: 'stability-ai/stable-audio', adapter: stableAudioMusic },
    { prefix: 'meta/musicgen', adapter: musicgenMusic },
  ],
} as const;

type Adapters = {
  image: ModelAdapter<ImageInput>;
  video: ModelAdapter<VideoInput>;
  music: ModelAdapter<MusicInput>;
};

/** The adapter for a configured model id; an unknown family is a configuration error at start. */
export function adapterFor<K extends keyof Adapters>(kind: K, model: string): Adapters[K] {
  const found = FAMILIES[kind].find((f) => model.startsWith(f.prefix));
  if (!found) {
    const known = FAMILIES[kind].map((f) => `${f.prefix}*`).join(', ');
    throw new NonRetryableError(
      'unsupported_model',
      `no input adapter for ${kind} model "${model}" (supported: ${known})`,
    );
  }
  return found.adapter as unknown as Adapters[K];
}
