import path from 'node:path';
import Database from 'better-sqlite3';

/** Reads another process's adgen database (read-only, opened per query so WAL state is fresh). */
export function dbQuery(dataDir: string) {
  return function query<T>(sql: string): T[] {
    const db = new Database(path.join(dataDir, 'adgen.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
}

/** Polls `cond` until true; errors (e.g. the database not created yet) count as "not yet". */
export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (cond()) return;
    } catch {
      // the database may not exist yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
