import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/db/client.ts';
import { createSqliteStores } from '../../src/db/sqlite-stores.ts';

/** A fresh data folder with a migrated database, removed by `cleanup`. */
export function tempDb(prefix = 'adgen-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = openDb(path.join(dir, 'adgen.db'));
  const stores = createSqliteStores(db);
  return {
    dir,
    db,
    stores,
    runs: stores.runs,
    steps: stores.steps,
    cleanup() {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
