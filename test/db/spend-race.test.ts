import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDb } from '../helpers/db.ts';

const race = (file: string, runId: string, count: number) =>
  new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['bin/run-ts.mjs', 'test/db/fixtures/spend-racer.ts', file, runId, String(count)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(out)) : reject(new Error(`racer exited ${code}`)),
    );
  });

describe('spend ledger across processes (SQLite)', () => {
  it('two processes racing for the last dollars never reserve more than the budget', async () => {
    const t = tempDb('adgen-spend-race-');
    try {
      const file = path.join(t.dir, 'adgen.db');
      const [a, b] = await Promise.all([race(file, 'run-a', 15), race(file, 'run-b', 15)]);
      expect(a + b).toBe(10);
      const total = await t.stores.spend.totals({
        user: 'U1',
        workspace: 'W',
        dayStartMs: 0,
        monthStartMs: 0,
      });
      expect(total.userTodayUsd).toBe(10);
    } finally {
      t.cleanup();
    }
  }, 60_000);
});
