import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

/**
 * Where the PostgreSQL tests find a server: ADGEN_TEST_DATABASE_URL (`.ci/run` starts a
 * throwaway cluster with scripts/pg-test-cluster.sh and exports it). In CI a missing URL is a
 * failure, not a skip: the PostgreSQL backend must be tested there. Locally the tests skip and
 * say why.
 */
export const PG_TEST_URL = process.env.ADGEN_TEST_DATABASE_URL || undefined;

const MISSING =
  'ADGEN_TEST_DATABASE_URL is not set (start one with `bash scripts/pg-test-cluster.sh` and export its URL)';

export function describePg(name: string, body: (url: string) => void) {
  if (PG_TEST_URL) return describe(name, () => body(PG_TEST_URL));
  if (process.env.CI && process.env.CI !== 'false')
    throw new Error(`PostgreSQL tests cannot run in CI: ${MISSING}`);
  console.warn(`skipping "${name}": ${MISSING}`);
  return describe.skip(`${name} (skipped: ${MISSING})`, () => {});
}

/** A new, empty database on the test server; `drop` removes it (closing what still uses it). */
export async function freshPgDatabase(serverUrl: string, label = 't') {
  const name = `adgen_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
