import { z } from 'zod';
import { bool, int, list, opt } from './config-env.ts';
import type { OpenAiOptions } from './pipeline/providers/openai/client.ts';
import type { DownloadPolicy } from './pipeline/providers/replicate/download.ts';
import type { ReplicateOptions } from './pipeline/providers/replicate/index.ts';
import { KOKORO_DEFAULT_VOICE, KOKORO_PINNED } from './pipeline/providers/replicate/kokoro.ts';
import { DEFAULT_PRICES, PriceTableSchema } from './pipeline/providers/replicate/prices.ts';

/** Environment of the real providers (OpenAI, Replicate) and of media downloads. */
export const PROVIDER_ENV = {
  OPENAI_API_KEY: opt(z.string()),
  OPENAI_BASE_URL: opt(z.url()),
  OPENAI_MODEL: opt(z.string()),
  /** The client's own retries (honouring Retry-After) before the engine's step retries. */
  OPENAI_MAX_RETRIES: opt(int(0, 10)),
  OPENAI_TIMEOUT_MS: opt(int(1_000, 600_000)),
  OPENAI_TTS_MODEL: opt(z.string()),
  OPENAI_TTS_VOICE: opt(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a voice name like coral')),
  REPLICATE_API_TOKEN: opt(z.string()),
  REPLICATE_BASE_URL: opt(z.url()),
  REPLICATE_IMAGE_MODEL: opt(z.string()),
  REPLICATE_VIDEO_MODEL: opt(z.string()),
  REPLICATE_MUSIC_MODEL: opt(z.string()),
  REPLICATE_TTS_MODEL: opt(z.string()),
  REPLICATE_TTS_VOICE: opt(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a voice name like af_bella')),
  /** Predictions running at once, across every run of this process. */
  REPLICATE_MAX_IN_FLIGHT: opt(int(1, 1_000)),
  /** Creates per minute (Replicate's default account limit is 600). */
  REPLICATE_CREATES_PER_MIN: opt(int(1, 100_000)),
  /** Sent as Cancel-After: Replicate stops (and stops billing) a prediction after this long. */
  REPLICATE_PREDICTION_DEADLINE_S: opt(int(5, 86_400)),
  REPLICATE_POLL_MIN_MS: opt(int(5, 60_000)),
  REPLICATE_POLL_MAX_MS: opt(int(5, 300_000)),
  /** JSON price overrides keyed by `owner/name`, e.g. {"meta/musicgen":{"perComputeSecond":0.0014,"typicalComputeS":45}}. */
  REPLICATE_PRICES: opt(
    z
      .string()
      .transform((s, ctx) => {
        try {
          return JSON.parse(s) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(PriceTableSchema),
  ),
  /** Hosts model outputs may be downloaded from (subdomains included). */
  MEDIA_HOST_ALLOWLIST: opt(list),
  /** Test-only: allow plain http to 127.0.0.1 (the loopback fakes). Production refuses http. */
  MEDIA_ALLOW_INSECURE_LOOPBACK: opt(bool),
  MEDIA_MAX_BYTES: opt(int(1_024, 4 * 1024 ** 3)),
  MEDIA_DOWNLOAD_TIMEOUT_MS: opt(int(1_000, 3_600_000)),
};

const ProviderEnvSchema = z.object(PROVIDER_ENV);
type ProviderEnv = z.output<typeof ProviderEnvSchema>;

export type OpenAiConfig = OpenAiOptions & { ttsModel: string; ttsVoice: string };
export type ReplicateConfig = ReplicateOptions;
export type MediaConfig = DownloadPolicy;

export const MUSICGEN_PINNED =
  'meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb';

/** The default music model: official on Replicate (no pin), and its output may be used in an ad. */
export const DEFAULT_MUSIC_MODEL = 'stability-ai/stable-audio-2.5';

/** Models whose licence forbids commercial use of their output, with the licence to name. */
const NON_COMMERCIAL_MUSIC: { prefix: string; licence: string }[] = [
  { prefix: 'meta/musicgen', licence: 'CC-BY-NC 4.0' },
];

/** A sentence for the log and the provider summary when the music model's output is not for ads. */
export function musicLicenceWarning(model: string): string | undefined {
  const hit = NON_COMMERCIAL_MUSIC.find((m) => model.startsWith(m.prefix));
  return hit
    ? `${model.split(':')[0]} weights are ${hit.licence}: its music may not be used in a commercial ad (set REPLICATE_MUSIC_MODEL=${DEFAULT_MUSIC_MODEL})`
    : undefined;
}

export function providerConfig(
  e: ProviderEnv,
  offline: boolean,
): { openai: OpenAiConfig | null; replicate: ReplicateConfig | null; media: MediaConfig } {
  // Polls go 5% of the time waited apart, never closer than this: at the default cap of 10 that
  // is at most 20 GETs/s, well inside Replicate's 3000 a minute for non-create calls.
  const pollMinMs = e.REPLICATE_POLL_MIN_MS ?? 500;
  return {
    openai:
      // A local OpenAI-compatible server (Ollama, llama.cpp, vLLM) needs no key: its URL alone
      // switches planning to it. The client still wants a non-empty key; such servers ignore it.
      (e.OPENAI_API_KEY || e.OPENAI_BASE_URL) && !offline
        ? {
            apiKey: e.OPENAI_API_KEY ?? 'no-key-needed',
            baseURL: e.OPENAI_BASE_URL,
            model: e.OPENAI_MODEL ?? 'gpt-4o',
            maxRetries: e.OPENAI_MAX_RETRIES ?? 2,
            timeoutMs: e.OPENAI_TIMEOUT_MS ?? 120_000,
            ttsModel: e.OPENAI_TTS_MODEL ?? 'gpt-4o-mini-tts',
            ttsVoice: e.OPENAI_TTS_VOICE ?? 'coral',
          }
        : null,
    replicate:
      e.REPLICATE_API_TOKEN && !offline
        ? {
            apiToken: e.REPLICATE_API_TOKEN,
            baseUrl: e.REPLICATE_BASE_URL,
            imageModel: e.REPLICATE_IMAGE_MODEL ?? 'black-forest-labs/flux-schnell',
            videoModel: e.REPLICATE_VIDEO_MODEL ?? 'bytedance/seedance-1-pro-fast',
            musicModel: e.REPLICATE_MUSIC_MODEL ?? DEFAULT_MUSIC_MODEL,
            ttsModel: e.REPLICATE_TTS_MODEL ?? KOKORO_PINNED,
            ttsVoice: e.REPLICATE_TTS_VOICE ?? KOKORO_DEFAULT_VOICE,
            maxInFlight: e.REPLICATE_MAX_IN_FLIGHT ?? 10,
            createsPerMin: e.REPLICATE_CREATES_PER_MIN ?? 600,
            deadlineS: e.REPLICATE_PREDICTION_DEADLINE_S ?? 900,
            pollMinMs,
            pollMaxMs: Math.max(pollMinMs, e.REPLICATE_POLL_MAX_MS ?? 5_000),
            prices: { ...DEFAULT_PRICES, ...(e.REPLICATE_PRICES ?? {}) },
          }
        : null,
    media: {
      hostAllowlist: e.MEDIA_HOST_ALLOWLIST ?? ['replicate.delivery'],
      allowInsecureLoopback: e.MEDIA_ALLOW_INSECURE_LOOPBACK ?? false,
      maxBytes: e.MEDIA_MAX_BYTES ?? 300 * 1024 ** 2,
      timeoutMs: e.MEDIA_DOWNLOAD_TIMEOUT_MS ?? 180_000,
    },
  };
}
