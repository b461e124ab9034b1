import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL twin of ../schema.ts (same tables, columns and indexes; see the comments there).
 * Two choices keep both backends interchangeable:
 * - Timestamps stay ISO-8601 UTC text (`2026-12-01T12:00:00.000Z`), the exact format SQLite
 *   stores, so rows, sorting and the prune cut-off read the same on both. clock_timestamp(), not
 *   now(): now() is the transaction's start, and rows written in one transaction would tie.
 * - JSON columns are `json`, not `jsonb`: json keeps the text as written (key order included), so
 *   a memoised step result reads back byte-for-byte and hashes made from it do not change.
 */
export const nowIso = sql`to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ms = (name: string) => bigint(name, { mode: 'number' });

export const runs = pgTable('runs', {
  id: text('id').primaryKey(),
  status: text('status', {
    enum: ['pending', 'running', 'waiting', 'succeeded', 'failed', 'cancelled'],
  }).notNull(),
  title: text('title').notNull(),
  input: json('input').notNull(),
  error: text('error'),
  errorCode: text('error_code'),
  outputPath: text('output_path'),
  leaseOwner: text('lease_owner'),
  leaseExpiresAt: ms('lease_expires_at'),
  createdAt: text('created_at').notNull().default(nowIso),
  updatedAt: text('updated_at').notNull().default(nowIso),
});

export const steps = pgTable(
  'steps',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    status: text('status', { enum: ['running', 'succeeded', 'failed'] }).notNull(),
    result: json('result'),
    error: text('error'),
    errorCode: text('error_code'),
    retryable: boolean('retryable'),
    attempts: integer('attempts').notNull().default(0),
    executions: integer('executions').notNull().default(0),
    durationMs: integer('duration_ms'),
    updatedAt: text('updated_at').notNull().default(nowIso),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] })],
);

export const assets = pgTable(
  'assets',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    kind: text('kind', { enum: ['image', 'clip', 'music', 'video'] }).notNull(),
    path: text('path').notNull(),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: text('created_at').notNull().default(nowIso),
  },
  (t) => [uniqueIndex('assets_path').on(t.path), index('assets_run').on(t.runId)],
);

export const predictions = pgTable(
  'predictions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    model: text('model').notNull(),
    providerId: text('provider_id').notNull(),
    status: text('status', { enum: ['submitted', 'succeeded', 'failed', 'canceled'] }).notNull(),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    predictTimeS: doublePrecision('predict_time_s'),
    createdAt: text('created_at').notNull().default(nowIso),
    updatedAt: text('updated_at').notNull().default(nowIso),
  },
  (t) => [uniqueIndex('predictions_step').on(t.runId, t.stepId), index('predictions_run').on(t.runId)],
);

export const threads = pgTable(
  'threads',
  {
    id: text('id').primaryKey(),
    phase: text('phase').notNull(),
    runId: text('run_id'),
    state: json('state').notNull(),
    createdAt: text('created_at').notNull().default(nowIso),
    updatedAt: text('updated_at').notNull().default(nowIso),
  },
  (t) => [index('threads_phase').on(t.phase), index('threads_run').on(t.runId)],
);

export const botMessages = pgTable('bot_messages', {
  key: text('key').primaryKey(),
  threadId: text('thread_id').notNull(),
  kind: text('kind').notNull(),
  ref: integer('ref').notNull().default(0),
  rev: text('rev'),
});

export const seenEvents = pgTable('seen_events', {
  key: text('key').primaryKey(),
  receivedAt: text('received_at').notNull().default(nowIso),
});

export const intents = pgTable(
  'intents',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    stepId: text('step_id').notNull(),
    kind: text('kind', { enum: ['create', 'delivery'] }).notNull(),
    nonce: text('nonce').notNull(),
    inputHash: text('input_hash'),
    externalId: text('external_id'),
    status: text('status', { enum: ['open', 'done', 'abandoned'] }).notNull(),
    createdMs: ms('created_ms').notNull(),
    updatedAt: text('updated_at').notNull().default(nowIso),
  },
  (t) => [primaryKey({ columns: [t.runId, t.stepId] }), index('intents_external').on(t.externalId)],
);

export const decisions = pgTable(
  'decisions',
  {
    id: integer('id').primaryKey().generatedByDefaultAsIdentity(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    actor: text('actor').notNull(),
    cardRev: text('card_rev'),
    payload: json('payload'),
    createdAt: text('created_at').notNull().default(nowIso),
  },
  (t) => [index('decisions_run').on(t.runId)],
);
