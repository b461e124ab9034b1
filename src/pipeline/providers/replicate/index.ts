import type { ImageGen, MusicGen, Tts, VideoGen } from '../ports.ts';
import { adapterFor } from './adapters.ts';
import { createReplicateApi } from './client.ts';
import type { DownloadPolicy } from './download.ts';
import { createReplicateGen, type ReplicateGenDeps } from './gen.ts';
import { createReplicateTts } from './kokoro.ts';
import type { LimiterOptions, PredictionLimiter } from './limiter.ts';
import type { PriceTable } from './prices.ts';

export interface ReplicateOptions {
  apiToken: string;
  baseUrl?: string;
  /** `owner/name` (official models) or `owner/name:version`. */
  imageModel: string;
  videoModel: string;
  musicModel: string;
  /** Speech model (jaaari/kokoro-82m by default) and its voice. */
  ttsModel?: string;
  ttsVoice?: string;
  maxInFlight: number;
  createsPerMin: number;
  /** Sent as Cancel-After with every prediction. */
  deadlineS: number;
  pollMinMs: number;
  pollMaxMs: number;
  prices: PriceTable;
}

/**
 * Image, video and music on Replicate, sharing one client and the limiter the composition root
 * made for the account (`createPredictionLimiter(predictionLimits(cfg))`): the account's budget
 * is one per process, whichever ports use Replicate.
 */
export function createReplicateProviders(
  cfg: ReplicateOptions,
  media: DownloadPolicy,
  limiter: PredictionLimiter,
): { image: ImageGen; video: VideoGen; music: MusicGen; tts?: Tts } {
  const api = createReplicateApi({ apiToken: cfg.apiToken, baseUrl: cfg.baseUrl });
  const deps: ReplicateGenDeps = {
    api,
    limiter,
    prices: cfg.prices,
    download: media,
    deadlineS: cfg.deadlineS,
    poll: { minMs: cfg.pollMinMs, maxMs: cfg.pollMaxMs },
  };
  return {
    image: createReplicateGen(cfg.imageModel, adapterFor('image', cfg.imageModel), deps),
    video: createReplicateGen(cfg.videoModel, adapterFor('video', cfg.videoModel), deps),
    music: createReplicateGen(cfg.musicModel, adapterFor('music', cfg.musicModel), deps),
    ...(cfg.ttsModel ? { tts: createReplicateTts(cfg.ttsModel, cfg.ttsVoice ?? 'af_bella', deps) } : {}),
  };
}

/** The account's limits as the limiter takes them. */
export const predictionLimits = (cfg: ReplicateOptions): LimiterOptions => ({
  maxInFlight: cfg.maxInFlight,
  createsPerWindow: cfg.createsPerMin,
});

export { createReplicateApi } from './client.ts';
export { createPredictionLimiter } from './limiter.ts';
