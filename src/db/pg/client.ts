import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase, type NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { registerSecrets } from '../../redact.ts';
import * as schema from './schema.ts';

/** The pool-wide database, or one transaction on one pooled client: every op runs on either. */
export type PgConn = PgDatabase<NodePgQueryResultHKT, typeof schema>;
export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations/pg');

/**
 * Advisory lock keys (one 64-bit namespace per database, shared with anything else using
 * advisory locks there, e.g. pg-boss, which hashes its own names: fixed, unlikely constants).
 * MIGRATE: one process migrates at a time. WRITER: adgen's transactions, one at a time.
 */
export const LOCK = { MIGRATE: 0x6164_6765_6e00_01n, WRITER: 0x6164_6765_6e00_02n } as const;

function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** `host:port/db`, never the password: for logs and error messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'an unparsable PostgreSQL URL';
  }
}

export function openPgPool(url: string, max = 10): PgDb {
  // The URL's password joins the redaction list: a driver error or a log line never shows it.
  registerSecrets(passwordOf(url));
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    // pg waits forever for a server that never answers (a dropped route): fail the call instead.
    connectionTimeoutMillis: 10_000,
  });
  // The next query gets a fresh client and reports the problem where it matters.
  survivesServerLoss(pool, () => {});
  return drizzle(pool, { schema }) as PgDb;
}

/**
 * A client whose server went away (restart, failover, terminated backend) emits 'error': on the
 * pool while idle, on the client itself while checked out (a transaction between statements, a
 * lane drainer holding its lock). Unhandled, either ends the process; the pending queries still
 * reject, so callers see the failure where it matters.
 */
export function survivesServerLoss(pool: pg.Pool, onError: (err: unknown) => void): void {
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
}

/**
 * Apply migrations/pg. Several processes (gateway, workers) may start at once on one database:
 * a session advisory lock makes the others wait and then find nothing left to apply, instead of
 * racing to create the same tables.
 */
export async function migratePg(db: PgDb): Promise<void> {
  const client = await db.$client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK.MIGRATE.toString()]);
    try {
      await migrate(drizzle(client, { schema }), { migrationsFolder: MIGRATIONS });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK.MIGRATE.toString()]);
    }
  } finally {
    client.release();
  }
}

/** Readiness: the database answers a trivial query. */
export async function pingPg(db: PgDb): Promise<void> {
  await db.execute(sql`select 1`);
}
