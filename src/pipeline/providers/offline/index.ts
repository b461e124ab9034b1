import type { FfmpegBins } from '../../media/run.ts';
import type { Providers } from '../ports.ts';
import { createOfflineImageGen } from './image.ts';
import { createOfflineLlm } from './llm.ts';
import { createOfflineMusicGen } from './music.ts';
import { createOfflineVideoGen } from './video.ts';

export interface OfflineProvidersOptions {
  bins?: FfmpegBins;
  /** Artificial latency per kind (crash tests, progress demos); every wait ends on abort. */
  delayMs?: { image?: number; video?: number; music?: number };
}

/** Every port with no network and no keys: what `npm run demo` and keyless installs use. */
export function createOfflineProviders(opts: OfflineProvidersOptions = {}): Providers {
  const { bins, delayMs = {} } = opts;
  return {
    llm: createOfflineLlm(),
    image: createOfflineImageGen({ bins, delayMs: delayMs.image }),
    video: createOfflineVideoGen({ bins, delayMs: delayMs.video }),
    music: createOfflineMusicGen({ delayMs: delayMs.music }),
  };
}

export { createOfflineImageGen, createOfflineLlm, createOfflineMusicGen, createOfflineVideoGen };
