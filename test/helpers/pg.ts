import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The throwaway cluster (scripts/pg-test-cluster.sh); CI sets ADGEN_TEST_DATABASE_URL. */
export const TEST_PG_URL =
  process.env.ADGEN_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:55432/postgres';

/** A fresh database per test file, dropped by `drop()`; its URL points every process at it. */
export async function freshDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const admin = new pg.Client({ connectionString: TEST_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
