import type { MusicInput } from '../ports.ts';
import type { ModelAdapter } from './adapters.ts';
import { costOf } from './prices.ts';

/** The model's documented bounds (Replicate input schema of stability-ai/stable-audio-2.5). */
const MAX_DURATION_S = 190;
const STEPS = 8;

/**
 * The schema has no "instrumental" switch, so the prompt asks for it: an ad's bed must leave room
 * for the voice-over, and sung words would compete with it.
 */
export const instrumentalPrompt = (prompt: string) =>
  /\binstrumental\b/i.test(prompt) ? prompt : `${prompt.trim()}, instrumental, no vocals`;

/**
 * stability-ai/stable-audio-2.5 (an official model: no version pin). Trained on licensed data;
 * Stability's terms assign the output to the customer, so an ad may use it commercially.
 * Billed per generation, whatever the duration.
 */
export const stableAudioMusic: ModelAdapter<MusicInput> = {
  family: 'stable-audio',
  media: 'audio',
  input: async (job) => ({
    prompt: instrumentalPrompt(job.prompt),
    duration: Math.min(MAX_DURATION_S, Math.max(1, Math.round(job.durationS))),
    steps: STEPS,
    seed: job.seed,
  }),
  estimateUsd: (_job, price) => costOf(price, { outputs: 1 }),
  costUsd: (_job, price, run) => costOf(price, { outputs: Math.min(1, run.outputs) }),
};
