import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** One ad job. `input` holds everything the workflow needs to (re)run deterministically. */
export const runs = sqliteTable('runs', {
  id: text('id').primaryKey(),
  status: text('status', {
    enum: ['pending', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'],
  }).notNull(),
  title: text('title').notNull(),
  input: text('input', { mode: 'json' }).notNull(),
  error: text('error'),
  /** Typed code of the error (errors.ts), so a resumed run reports the same reason. */
  errorCode: text('error_code'),
  outputPath: text('output_path'),
  /** Which process works this run right now (`host:pid:random`), and until when (ms epoch). */
  leaseOwner: text('lease_owner'),
  leaseExpiresAt: integer('lease_expires_at'),
  createdAt: text('created_at').notNull().default(now),
  updatedAt: text('updated_at').notNull().default(now),
});

/** Memoised durable steps: a succeeded row is returned without running the step again. */
export const steps = sqliteTable(
  'steps',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    result: text('result', { mode: 'json' }),
    error: text('error'),
    /** The typed error code of a failed step and whether retrying could help (errors.ts). */
    errorCode: text('error_code'),
    retryable: integer('retryable', { mode: 'boolean' }),
    attempts: integer('attempts').notNull().default(0),
    /** How many times the step's function was entered, across restarts: proves memoisation. */
    executions: integer('executions').notNull().default(0),
    durationMs: integer('duration_ms'),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);

export const assets = sqliteTable(
  'assets',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    kind: text('kind', { enum: ['image', 'clip', 'music', 'video', 'voice'] }).notNull(),
    path: text('path').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [uniqueIndex('assets_path').on(t.path), index('assets_run').on(t.runId)],
);

/** Every paid (or offline) generation job, written the moment its id is known. */
export const predictions = sqliteTable(
  'predictions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    model: text('model').notNull(),
    providerId: text('provider_id').notNull(),
    status: text('status', { enum: ['submitted', 'succeeded', 'failed', 'canceled'] }).notNull(),
    costUsd: real('cost_usd').notNull().default(0),
    predictTimeS: real('predict_time_s'),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [uniqueIndex('predictions_step').on(t.runId, t.stepId), index('predictions_run').on(t.runId)],
);

/** Chat threads the bot runs (bot/core ThreadState as JSON, with the columns queries need). */
export const threads = sqliteTable(
  'threads',
  {
    id: text('id').primaryKey(),
    phase: text('phase').notNull(),
    runId: text('run_id'),
    state: text('state', { mode: 'json' }).notNull(),
    createdAt: text('created_at').notNull().default(now),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [index('threads_phase').on(t.phase), index('threads_run').on(t.runId)],
);

/** Bot messages by platform id, so a reaction or click finds its thread and card. */
export const botMessages = sqliteTable('bot_messages', {
  key: text('key').primaryKey(),
  threadId: text('thread_id').notNull(),
  kind: text('kind').notNull(),
  ref: integer('ref').notNull().default(0),
  /** The card revision the message shows (mood set, storyboard): stale clicks are refused. */
  rev: text('rev'),
});

/** Delivery keys of incoming events already handled (dedupe). */
export const seenEvents = sqliteTable('seen_events', {
  key: text('key').primaryKey(),
  receivedAt: text('received_at').notNull().default(now),
});

/**
 * An external effect about to happen (a paid create, a chat upload), stored BEFORE the effect so a
 * crash in between is found on resume and reconciled (look the effect up) instead of repeated.
 */
export const intents = sqliteTable(
  'intents',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    kind: text('kind', { enum: ['create', 'delivery'] }).notNull(),
    /** Travels with the effect where the other side keeps it (upload file name, idempotency key). */
    nonce: text('nonce').notNull(),
    inputHash: text('input_hash'),
    /** What the other side called it once known: prediction id, message id. */
    externalId: text('external_id'),
    status: text('status', { enum: ['open', 'done', 'abandoned'] }).notNull(),
    createdMs: integer('created_ms').notNull(),
    updatedAt: text('updated_at').notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);

/** People's decisions on an ad (mood pick, approval, regenerate, cancel), stored before any reply. */
export const decisions = sqliteTable(
  'decisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    /** The card revision the decision was made on (stale cards are refused before this). */
    cardRev: text('card_rev'),
    payload: text('payload', { mode: 'json' }),
    createdAt: text('created_at').notNull().default(now),
  },
  (t) => [index('decisions_run').on(t.runId)],
);

/** Brand kits by scope (Slack workspace+channel, Discord guild): the kit as JSON (pipeline/brand.ts). */
export const brandKits = sqliteTable('brand_kits', {
  scope: text('scope').primaryKey(),
  kit: text('kit', { mode: 'json' }).notNull(),
  updatedAt: text('updated_at').notNull().default(now),
});
/**
 * Money reserved for paid creates, one row per paid submit step, written BEFORE the create is
 * sent and in the same transaction as the budget check: two renders racing for the last dollars
 * cannot both pass. No foreign key to runs: deleting a run must not give its spend back.
 */
export const spendLedger = sqliteTable(
  'spend_ledger',
  {
    runId: text('run_id').notNull(),
    stepId: text('step_id').notNull(),
    userId: text('user_id').notNull(),
    workspace: text('workspace').notNull(),
    usd: real('usd').notNull(),
    createdMs: integer('created_ms').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.stepId] }),
    index('spend_user_time').on(t.userId, t.createdMs),
    index('spend_workspace_time').on(t.workspace, t.createdMs),
  ],
);
