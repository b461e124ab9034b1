import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { createSqliteStores } from '../../src/db/sqlite-stores.ts';
import { tempDb } from '../helpers/db.ts';
import { storeContract } from './store-contract.ts';

storeContract('sqlite', () => {
  const t = tempDb('adgen-contract-');
  const others: { close(): void }[] = [];
  return {
    stores: t.stores,
    other() {
      const db = openDb(path.join(t.dir, 'adgen.db'));
      others.push(db.$client);
      return createSqliteStores(db);
    },
    cleanup() {
      for (const c of others) c.close();
      t.cleanup();
    },
  };
});

describe('SQLite unit (one connection, serialised transactions)', () => {
  it('refuses a direct store call inside its own transaction instead of waiting for itself', async () => {
    const t = tempDb('adgen-unit-');
    try {
      await t.runs.create({ id: 'r1', title: 't', input: {} });
      await expect(t.runs.transaction(async () => t.runs.get('r1'))).rejects.toThrow(/use the tx/);
      // The refused transaction rolled back and released the connection.
      expect((await t.runs.get('r1'))?.id).toBe('r1');
      expect(t.db.$client.inTransaction).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
