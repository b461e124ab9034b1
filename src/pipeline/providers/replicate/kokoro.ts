import type { Tts, TtsInput } from '../ports.ts';
import type { ModelAdapter } from './adapters.ts';
import { createReplicateGen, type ReplicateGenDeps } from './gen.ts';
import { costOf } from './prices.ts';

/**
 * hexgrad/Kokoro-82M (Apache-2.0 weights: commercial use allowed) as packaged on Replicate by
 * jaaari. A community model, so it is called by version. Input per its API page
 * (replicate.com/jaaari/kokoro-82m/api): `text`, `voice` (default af_bella), `speed` 0.1-5.
 */
export const KOKORO_PINNED =
  'jaaari/kokoro-82m:f559560eb822dc509045f3921a1921234918b91739db4bf3daab2169b71c7a13';
export const KOKORO_DEFAULT_VOICE = 'af_bella';

/** Kokoro v1.0's English voices (a: American, b: British; f/m: female/male). */
export const KOKORO_VOICES = [
  'af_bella',
  'af_heart',
  'af_nicole',
  'af_sarah',
  'af_sky',
  'am_adam',
  'am_michael',
  'am_eric',
  'bf_emma',
  'bf_isabella',
  'bm_george',
  'bm_lewis',
] as const;

export const kokoroSpeech: ModelAdapter<TtsInput> = {
  family: 'kokoro',
  media: 'audio',
  // Tempo is fitted by the composer (atempo), so the model always speaks at its natural pace.
  input: async (job) => ({ text: job.text, voice: job.voice, speed: 1 }),
  estimateUsd: (_job, price) => costOf(price, {}),
  costUsd: (_job, price, run) =>
    run.predictTimeS === undefined ? costOf(price, {}) : costOf(price, { computeS: run.predictTimeS }),
};

/** The Tts port over a Replicate speech model, sharing the account's client and limiter. */
export function createReplicateTts(model: string, voice: string, deps: ReplicateGenDeps): Tts {
  const gen = createReplicateGen(model, kokoroSpeech, deps);
  const voices: readonly string[] = (KOKORO_VOICES as readonly string[]).includes(voice)
    ? KOKORO_VOICES
    : [voice, ...KOKORO_VOICES];
  return { ...gen, voices, defaultVoice: voice };
}
