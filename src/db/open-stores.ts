import type pg from 'pg';
import { type Db, openDb } from './client.ts';
import { describeUrl } from './pg/client.ts';
import { createPgStores } from './pg/stores.ts';
import type { Stores } from './ports.ts';
import { createSqliteStores } from './sqlite-stores.ts';

/** The store backend of one process, whichever it is, and what the process needs around it. */
export interface OpenedStores {
  backend: 'sqlite' | 'postgres';
  stores: Stores;
  /** The SQLite handle (tests and `adgen runs` probes read it); undefined on PostgreSQL. */
  sqlite: Db | undefined;
  /** The PostgreSQL pool, for parts that share it (the job queue); undefined on SQLite. */
  pgPool: pg.Pool | undefined;
  /** Where the data is, without credentials (logs, `adgen runs`). */
  where: string;
  /** Resolves when the database is migrated and usable; rejects with why not. */
  ready: Promise<void>;
  /** Readiness: rejects when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** PostgreSQL when `databaseUrl` is set (ADGEN_DATABASE_URL), else the SQLite file, as before. */
export function openStores(opts: { databaseUrl: string | null; dbPath: string }): OpenedStores {
  if (opts.databaseUrl) {
    const pgStores = createPgStores(opts.databaseUrl);
    return {
      backend: 'postgres',
      stores: pgStores,
      sqlite: undefined,
      pgPool: pgStores.db.$client,
      where: `postgres ${describeUrl(opts.databaseUrl)}`,
      ready: pgStores.ready,
      ping: pgStores.ping,
      close: pgStores.close,
    };
  }
  const db = openDb(opts.dbPath);
  return {
    backend: 'sqlite',
    stores: createSqliteStores(db),
    sqlite: db,
    pgPool: undefined,
    where: opts.dbPath,
    ready: Promise.resolve(),
    async ping() {
      db.$client.prepare('select 1').get();
    },
    // Synchronous inside: the file is closed when this returns, as callers that do not await expect.
    async close() {
      if (db.$client.open) db.$client.close();
    },
  };
}
