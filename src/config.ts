import path from 'node:path';
import { z } from 'zod';
import { PROFILE_NAMES } from './pipeline/media/profiles.ts';

/** Empty strings count as unset: `FOO=` in a .env file or compose file means "not given". */
const opt = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

const EnvSchema = z.object({
  ADGEN_DATA_DIR: opt(z.string()),
  ADGEN_DB_PATH: opt(z.string()),
  ADGEN_PROFILE: opt(z.enum(PROFILE_NAMES as [string, ...string[]])),
  ADGEN_CLIP_CONCURRENCY: opt(int(1, 32)),
  ADGEN_STEP_ATTEMPTS: opt(int(1, 10)),
  ADGEN_LOG_LEVEL: opt(z.enum(['debug', 'info', 'warn', 'error'])),
  /** Artificial latency of offline providers (ms); used by crash tests and demos of progress. */
  ADGEN_OFFLINE_LATENCY_MS: opt(int(0, 600_000)),
  ADGEN_FORCE_OFFLINE: opt(bool),
  /** Comma-separated user ids who may steer any thread besides its requester; `*` = everyone. */
  ADGEN_REVIEWERS: opt(z.string()),
  ADGEN_APPROVALS_REQUIRED: opt(int(1, 20)),
  FFMPEG_PATH: opt(z.string()),
  FFPROBE_PATH: opt(z.string()),
  OPENAI_API_KEY: opt(z.string()),
  OPENAI_BASE_URL: opt(z.url()),
  OPENAI_MODEL: opt(z.string()),
  REPLICATE_API_TOKEN: opt(z.string()),
  REPLICATE_BASE_URL: opt(z.url()),
  REPLICATE_IMAGE_MODEL: opt(z.string()),
  REPLICATE_VIDEO_MODEL: opt(z.string()),
  REPLICATE_MUSIC_MODEL: opt(z.string()),
});

export interface Config {
  dataDir: string;
  dbPath: string;
  profile: 'final' | 'draft' | 'tiny';
  clipConcurrency: number;
  stepAttempts: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  offlineLatencyMs: number;
  review: { reviewers: string[]; approvalsRequired: number };
  ffmpeg: { ffmpeg: string; ffprobe: string };
  openai: { apiKey: string; baseURL?: string; model: string } | null;
  replicate: {
    apiToken: string;
    baseUrl?: string;
    imageModel: string;
    videoModel: string;
    musicModel: string;
  } | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment once. Every bad variable is named in one message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(cwd, e.ADGEN_DATA_DIR ?? 'data');
  const offline = e.ADGEN_FORCE_OFFLINE === true;
  const config: Config = {
    dataDir,
    dbPath: path.resolve(cwd, e.ADGEN_DB_PATH ?? path.join(dataDir, 'adgen.db')),
    profile: (e.ADGEN_PROFILE as Config['profile'] | undefined) ?? 'final',
    clipConcurrency: e.ADGEN_CLIP_CONCURRENCY ?? 3,
    stepAttempts: e.ADGEN_STEP_ATTEMPTS ?? 3,
    logLevel: e.ADGEN_LOG_LEVEL ?? 'info',
    offlineLatencyMs: e.ADGEN_OFFLINE_LATENCY_MS ?? 0,
    review: {
      reviewers: (e.ADGEN_REVIEWERS ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
      approvalsRequired: e.ADGEN_APPROVALS_REQUIRED ?? 1,
    },
    ffmpeg: { ffmpeg: e.FFMPEG_PATH ?? 'ffmpeg', ffprobe: e.FFPROBE_PATH ?? 'ffprobe' },
    openai:
      e.OPENAI_API_KEY && !offline
        ? { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL ?? 'gpt-4o' }
        : null,
    replicate:
      e.REPLICATE_API_TOKEN && !offline
        ? {
            apiToken: e.REPLICATE_API_TOKEN,
            baseUrl: e.REPLICATE_BASE_URL,
            imageModel: e.REPLICATE_IMAGE_MODEL ?? 'black-forest-labs/flux-schnell',
            videoModel: e.REPLICATE_VIDEO_MODEL ?? 'bytedance/seedance-1-pro-fast',
            musicModel:
              e.REPLICATE_MUSIC_MODEL ??
              'meta/musicgen:671ac645ce5e552cc63a54a2bbff63fcf798043055d2dac5fc9e36a837eedcfb',
          }
        : null,
  };
  return Object.freeze(config);
}
