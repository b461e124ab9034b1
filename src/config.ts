import path from 'node:path';
import { z } from 'zod';
import { bool, int, opt } from './config-env.ts';
import { choosePorts, PORT_ENV, type PortChoice } from './config-ports.ts';
import {
  type MediaConfig,
  type OpenAiConfig,
  PROVIDER_ENV,
  providerConfig,
  type ReplicateConfig,
} from './config-providers.ts';
import { QUEUE_ENV, type QueueConfig, queueConfig } from './config-queue.ts';
import { PROFILE_NAMES } from './pipeline/media/profiles.ts';
import type { SpendPolicy } from './pipeline/spend.ts';

const EnvSchema = z.object({
  ADGEN_DATA_DIR: opt(z.string()),
  ADGEN_DB_PATH: opt(z.string()),
  /** postgres://… switches every store to PostgreSQL (src/db/pg); unset keeps SQLite. */
  ADGEN_DATABASE_URL: opt(z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')),
  /** Port of the ops HTTP server (/healthz, /readyz, /metrics) of bot/gateway/worker; unset = off. */
  ADGEN_OPS_PORT: opt(int(0, 65_535)),
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
  /** How long a run's lease lasts unrenewed (renewed every third of it); short in crash tests. */
  ADGEN_LEASE_TTL_MS: opt(int(300, 600_000)),
  /** Spend control (spend.ts): paid renders one person may run at once, and daily USD budgets. */
  ADGEN_MAX_ACTIVE_RUNS_PER_USER: opt(int(1, 100)),
  ADGEN_BUDGET_USER_DAILY_USD: opt(z.coerce.number().min(0).max(1_000_000)),
  ADGEN_BUDGET_WORKSPACE_DAILY_USD: opt(z.coerce.number().min(0).max(1_000_000)),
  FFMPEG_PATH: opt(z.string()),
  FFPROBE_PATH: opt(z.string()),
  ...PROVIDER_ENV,
  ...PORT_ENV,
  ...QUEUE_ENV,
  SLACK_BOT_TOKEN: opt(z.string().startsWith('xoxb-')),
  SLACK_APP_TOKEN: opt(z.string().startsWith('xapp-')),
  SLACK_SIGNING_SECRET: opt(z.string()),
  SLACK_MODE: opt(z.enum(['socket', 'http'])),
  SLACK_PORT: opt(int(0, 65_535)),
  /** Tests point Bolt's Web API client (and Socket Mode's connections.open) at a loopback fake. */
  SLACK_API_URL: opt(z.url()),
  DISCORD_TOKEN: opt(z.string()),
  DISCORD_APPLICATION_ID: opt(z.string().regex(/^\d{15,22}$/, 'a numeric snowflake id')),
  /** Comma-separated guild ids: register the command there (instant) instead of globally. */
  DISCORD_GUILD_IDS: opt(
    z.string().regex(/^\s*\d{15,22}\s*(,\s*\d{15,22}\s*)*$/, 'comma-separated guild ids'),
  ),
  /** Tests point discord.js's REST client (and so the gateway lookup) at a loopback fake. */
  DISCORD_API_URL: opt(z.url()),
});

export interface Config {
  dataDir: string;
  dbPath: string;
  /** PostgreSQL instead of SQLite when set (ADGEN_DATABASE_URL; may hold a password: never log it). */
  databaseUrl: string | null;
  /** The ops HTTP server's port (ADGEN_OPS_PORT), null when off. */
  opsPort: number | null;
  profile: 'final' | 'draft' | 'tiny';
  clipConcurrency: number;
  stepAttempts: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  offlineLatencyMs: number;
  leaseTtlMs: number;
  review: { reviewers: string[]; approvalsRequired: number };
  /** Budgets (USD per UTC day, null = unlimited) and active paid runs per person. */
  spend: SpendPolicy;
  ffmpeg: { ffmpeg: string; ffprobe: string };
  openai: OpenAiConfig | null;
  replicate: ReplicateConfig | null;
  /** Which implementation each provider port uses (offline where no key or when forced). */
  ports: PortChoice;
  /** Where and how model outputs may be downloaded. */
  media: MediaConfig;
  slack: SlackConfig | null;
  discord: DiscordConfig | null;
  /** Job queue and worker limits (config-queue.ts). */
  queue: QueueConfig;
}

/** The application id is optional: `discord:register` looks it up from the token when unset. */
export interface DiscordConfig {
  token: string;
  applicationId: string | null;
  guildIds: string[];
  apiUrl?: string;
}

/** Socket Mode needs no public URL (bot + app token); HTTP mode verifies signed requests. */
export interface SlackConfig {
  botToken: string;
  mode: 'socket' | 'http';
  appToken?: string;
  signingSecret?: string;
  port: number;
  apiUrl?: string;
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
  const providers = providerConfig(e, offline);
  const { ports, errors } = choosePorts(
    e,
    {
      openai: Boolean(e.OPENAI_API_KEY || e.OPENAI_BASE_URL),
      replicate: Boolean(e.REPLICATE_API_TOKEN),
      openaiSpeech: Boolean(e.OPENAI_API_KEY && !e.OPENAI_BASE_URL),
    },
    offline,
  );
  if (errors.length) throw new ConfigError(`invalid configuration:\n${errors.join('\n')}`);
  const config: Config = {
    dataDir,
    dbPath: path.resolve(cwd, e.ADGEN_DB_PATH ?? path.join(dataDir, 'adgen.db')),
    databaseUrl: e.ADGEN_DATABASE_URL ?? null,
    opsPort: e.ADGEN_OPS_PORT ?? null,
    profile: (e.ADGEN_PROFILE as Config['profile'] | undefined) ?? 'final',
    // Every scene's clip starts at once by default (a storyboard has at most 7): an ad waits one
    // round of clip latency, not three; the process-wide Replicate in-flight cap and the media
    // limiter still bound the machine and the account.
    clipConcurrency: e.ADGEN_CLIP_CONCURRENCY ?? 7,
    stepAttempts: e.ADGEN_STEP_ATTEMPTS ?? 3,
    logLevel: e.ADGEN_LOG_LEVEL ?? 'info',
    offlineLatencyMs: e.ADGEN_OFFLINE_LATENCY_MS ?? 0,
    leaseTtlMs: e.ADGEN_LEASE_TTL_MS ?? 30_000,
    review: {
      reviewers: (e.ADGEN_REVIEWERS ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
      approvalsRequired: e.ADGEN_APPROVALS_REQUIRED ?? 1,
    },
    spend: {
      userDailyUsd: e.ADGEN_BUDGET_USER_DAILY_USD ?? null,
      workspaceDailyUsd: e.ADGEN_BUDGET_WORKSPACE_DAILY_USD ?? null,
      maxActiveRunsPerUser: e.ADGEN_MAX_ACTIVE_RUNS_PER_USER ?? 2,
    },
    ffmpeg: { ffmpeg: e.FFMPEG_PATH ?? 'ffmpeg', ffprobe: e.FFPROBE_PATH ?? 'ffprobe' },
    ...providers,
    ports,
    queue: queueConfig(e),
    slack: slackConfig(e),
    discord: e.DISCORD_TOKEN
      ? {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID ?? null,
          guildIds: (e.DISCORD_GUILD_IDS ?? '')
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean),
          apiUrl: e.DISCORD_API_URL,
        }
      : null,
  };
  return Object.freeze(config);
}

function slackConfig(e: z.infer<typeof EnvSchema>): SlackConfig | null {
  if (!e.SLACK_BOT_TOKEN) return null;
  const mode = e.SLACK_MODE ?? 'socket';
  // Name the missing variable here rather than let Bolt fail later with a less helpful message.
  if (mode === 'socket' && !e.SLACK_APP_TOKEN) {
    throw new ConfigError('invalid configuration:\n  SLACK_APP_TOKEN: required in Socket Mode (xapp-…)');
  }
  if (mode === 'http' && !e.SLACK_SIGNING_SECRET) {
    throw new ConfigError('invalid configuration:\n  SLACK_SIGNING_SECRET: required when SLACK_MODE=http');
  }
  return {
    botToken: e.SLACK_BOT_TOKEN,
    mode,
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    port: e.SLACK_PORT ?? 3000,
    apiUrl: e.SLACK_API_URL,
  };
}
