import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../src/db/client.ts';
import { createRunStore } from '../../src/db/run-store.ts';
import { createStepStore } from '../../src/db/step-store.ts';

/** A fresh data folder with a migrated database, removed by `cleanup`. */
export function tempDb(prefix = 'adgen-test-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const db = openDb(path.join(dir, 'adgen.db'));
  return {
    dir,
    db,
    runs: createRunStore(db),
    steps: createStepStore(db),
    cleanup() {
      db.$client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
