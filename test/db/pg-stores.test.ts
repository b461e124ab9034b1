import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { describeUrl, openPgPool } from '../../src/db/pg/client.ts';
import { createPgStores, type PgStores } from '../../src/db/pg/stores.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { redact } from '../../src/redact.ts';
import { describePg, freshPgDatabase } from '../helpers/pg.ts';
import { storeContract } from './store-contract.ts';

/** How many migrations migrations/pg holds (its drizzle journal). */
function pgMigrationCount(): number {
  const journal = JSON.parse(readFileSync('migrations/pg/meta/_journal.json', 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

describe('PostgreSQL URL handling (no server needed)', () => {
  it('reads ADGEN_DATABASE_URL: postgres URLs only, empty = SQLite', () => {
    const base = { ADGEN_DATA_DIR: '/tmp/adgen-config-only' };
    expect(loadConfig({ ...base, ADGEN_DATABASE_URL: '' }).databaseUrl).toBeNull();
    expect(loadConfig({ ...base, ADGEN_DATABASE_URL: 'postgresql://h/db' }).databaseUrl).toBe(
      'postgresql://h/db',
    );
    expect(() => loadConfig({ ...base, ADGEN_DATABASE_URL: 'mysql://u:pw-secret@h/db' })).toThrow(
      /ADGEN_DATABASE_URL/,
    );
    expect(() => loadConfig({ ...base, ADGEN_DATABASE_URL: 'mysql://u:pw-secret@h/db' })).not.toThrow(
      /pw-secret/,
    );
  });

  it('never shows the password of a database URL', async () => {
    const url = 'postgres://adgen:Zq8pw-never-shown@db.internal:5432/adgen';
    expect(describeUrl(url)).toBe('db.internal:5432/adgen');
    expect(redact(`connect failed for postgresql://u:other-pass@h/x and ${url}`)).toBe(
      'connect failed for postgresql://u:[redacted]@h/x and postgres://adgen:[redacted]@db.internal:5432/adgen',
    );
    const pool = openPgPool(url); // registers the password, even where it appears without the URL
    expect(redact('auth failed: Zq8pw-never-shown')).toBe('auth failed: [redacted]');
    await pool.$client.end();
  });
});

// Each contract test gets its own database; `other()` is a second pool on it (another process).
describePg('PostgreSQL backend', (url) => {
  storeContract('postgres', async () => {
    const fresh = await freshPgDatabase(url, 'contract');
    const stores = createPgStores(fresh.url);
    await stores.ready;
    const others: PgStores[] = [];
    return {
      stores,
      other() {
        const o = createPgStores(fresh.url);
        others.push(o);
        return o;
      },
      async cleanup() {
        await Promise.all([stores, ...others].map((s) => s.close()));
        await fresh.drop();
      },
    };
  });
});

describePg('PostgreSQL stores across connections', (url) => {
  const ROUNDS = 15;
  const open = async () => {
    const fresh = await freshPgDatabase(url, 'race');
    const a = createPgStores(fresh.url);
    const b = createPgStores(fresh.url);
    await Promise.all([a.ready, b.ready]); // two starts at once: the migration lock serialises them
    return {
      a,
      b,
      async done() {
        await Promise.all([a.close(), b.close()]);
        await fresh.drop();
      },
    };
  };

  it('two pools racing for the same lease: exactly one wins, every round', async () => {
    const { a, b, done } = await open();
    try {
      for (let i = 0; i < ROUNDS; i++) {
        await a.runs.create({ id: `r${i}`, title: 't', input: {} });
        const now = 1_000_000 + i;
        const results = await Promise.all([
          a.leases.acquire(`r${i}`, 'A', 1000, now),
          b.leases.acquire(`r${i}`, 'B', 1000, now),
          a.leases.acquire(`r${i}`, 'C', 1000, now),
          b.leases.acquire(`r${i}`, 'D', 1000, now),
        ]);
        expect(results.filter((r) => r === null)).toHaveLength(1);
        const winner = ['A', 'B', 'C', 'D'][results.indexOf(null)];
        for (const r of results) if (r) expect(r.owner).toBe(winner);
        // Taken over only after the expiry, and then by exactly one of the racers again.
        const later = await Promise.all([
          a.leases.acquire(`r${i}`, 'E', 1000, now + 999),
          b.leases.acquire(`r${i}`, 'F', 1000, now + 1000),
          a.leases.acquire(`r${i}`, 'G', 1000, now + 1000),
        ]);
        expect(later[0]).not.toBeNull();
        expect(later.slice(1).filter((r) => r === null)).toHaveLength(1);
      }
    } finally {
      await done();
    }
  });

  it('two pools racing a compare-and-set on one run state: exactly one decision lands', async () => {
    const { a, b, done } = await open();
    try {
      const seen = newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 1 });
      await a.runs.create({ id: 'r', title: 't', input: seen });
      for (let i = 0; i < ROUNDS; i++) {
        const state = (await a.runs.get('r'))!.input as typeof seen;
        const d = { kind: 'moods.regenerate', rev: `m${i}` } as const;
        const wins = await Promise.all(
          [a, b, a, b].map((s, k) =>
            s.decisions.record('r', `actor${k}`, d, state, { ...state, moodsRev: i * 10 + k + 1 }),
          ),
        );
        expect(wins.filter(Boolean)).toHaveLength(1);
        const moodsRev = ((await b.runs.get('r'))!.input as typeof seen).moodsRev;
        expect(moodsRev).toBe(i * 10 + wins.indexOf(true) + 1);
      }
      expect(await a.decisions.list('r')).toHaveLength(ROUNDS);
    } finally {
      await done();
    }
  });

  it('serialises read-modify-write transactions of two pools (the writer lock)', async () => {
    const { a, b, done } = await open();
    try {
      await a.runs.create({ id: 'r', title: 't', input: { n: 0 } });
      const bump = (s: PgStores) =>
        s.runs.transaction(async (tx) => {
          const n = ((await tx.get('r'))!.input as { n: number }).n;
          await new Promise((r) => setTimeout(r, 10)); // an interleaving would lose an increment
          await tx.setInput('r', { n: n + 1 });
        });
      await Promise.all(Array.from({ length: 12 }, (_, k) => bump(k % 2 ? a : b)));
      expect(((await a.runs.get('r'))!.input as { n: number }).n).toBe(12);
    } finally {
      await done();
    }
  });

  it('runs scoped transactions of different runs at once, across pools', async () => {
    const { a, b, done } = await open();
    try {
      // Each waits inside its transaction until both are inside: one lock for all would hang here.
      let arrived = 0;
      let bothIn: () => void = () => {};
      const together = new Promise<void>((r) => {
        bothIn = r;
      });
      const meet = (s: PgStores, runId: string) =>
        s.runs.transaction(
          async (tx) => {
            await tx.create({ id: runId, title: 't', input: {} });
            if (++arrived === 2) bothIn();
            await Promise.race([
              together,
              new Promise((_, no) => setTimeout(() => no(new Error('scoped transactions took turns')), 5000)),
            ]);
          },
          { scope: runId },
        );
      await Promise.all([meet(a, 'r1'), meet(b, 'r2')]);
      expect((await a.runs.get('r2'))?.id).toBe('r2');
    } finally {
      await done();
    }
  });

  it('serialises scoped transactions of one run, and scoped with unscoped ones', async () => {
    const { a, b, done } = await open();
    try {
      await a.runs.create({ id: 'r', title: 't', input: { n: 0 } });
      const bump = (s: PgStores, scope?: string) =>
        s.runs.transaction(
          async (tx) => {
            const n = ((await tx.get('r'))!.input as { n: number }).n;
            await new Promise((r) => setTimeout(r, 10)); // an interleaving would lose an increment
            await tx.setInput('r', { n: n + 1 });
          },
          scope === undefined ? {} : { scope },
        );
      // Same scope from two pools, and every third one unscoped (the exclusive writer lock).
      await Promise.all(Array.from({ length: 12 }, (_, k) => bump(k % 2 ? a : b, k % 3 ? 'r' : undefined)));
      expect(((await a.runs.get('r'))!.input as { n: number }).n).toBe(12);
    } finally {
      await done();
    }
  });

  it('two pools racing spend reservations: never past a user budget nor a workspace budget', async () => {
    const { a, b, done } = await open();
    try {
      const limits = { userDailyUsd: 5, workspaceDailyUsd: 8, maxActiveRunsPerUser: 99, dayStartMs: 0 };
      const r = (runId: string, k: number, user: string, workspace: string) => ({
        runId,
        stepId: `s${k}`,
        user,
        workspace,
        usd: 1,
        atMs: 1000,
      });
      const race = (reqs: ReturnType<typeof r>[]) =>
        Promise.all(reqs.map((q, k) => (k % 2 ? a : b).spend.reserve(q, limits)));
      // One user from two runs and two pools: the user's 5 dollars, no more.
      const user = await race(Array.from({ length: 12 }, (_, k) => r(`u${k % 2}`, k, 'U1', 'W1')));
      expect(user.filter((v) => v.ok)).toHaveLength(5);
      // Four users of one workspace, 3 dollars each (under their own 5): its 8 dollars, no more.
      const ws = await race(Array.from({ length: 12 }, (_, k) => r(`w${k % 4}`, k, `V${k % 4}`, 'W2')));
      expect(ws.filter((v) => v.ok)).toHaveLength(8);
      const totals = await a.spend.totals({ user: 'U1', workspace: 'W2', dayStartMs: 0, monthStartMs: 0 });
      expect(totals).toMatchObject({ userTodayUsd: 5, workspaceTodayUsd: 8 });
    } finally {
      await done();
    }
  });

  it('refuses a direct store call inside its own transaction, and stays usable', async () => {
    const { a, done } = await open();
    try {
      await a.runs.create({ id: 'r1', title: 't', input: {} });
      await expect(a.runs.transaction(async () => a.runs.get('r1'))).rejects.toThrow(/use the tx/);
      expect((await a.runs.get('r1'))?.id).toBe('r1');
    } finally {
      await done();
    }
  });

  it('migrates once when several processes start on one empty database together', async () => {
    const fresh = await freshPgDatabase(url, 'migrate');
    const starts = Array.from({ length: 4 }, () => createPgStores(fresh.url));
    try {
      await Promise.all(starts.map((s) => s.ready));
      const { rows } = await starts[0]!.db.$client.query(
        'select count(*)::int as n from drizzle.__drizzle_migrations',
      );
      expect(rows[0].n).toBe(pgMigrationCount()); // each migration applied once, not once per process
      await starts[3]!.runs.create({ id: 'r', title: 't', input: {} });
      expect((await starts[1]!.runs.get('r'))?.id).toBe('r');
    } finally {
      await Promise.all(starts.map((s) => s.close()));
      await fresh.drop();
    }
  });

  it('reports an unreachable server on the first call and from ping, without crashing', async () => {
    const s = createPgStores('postgres://postgres@127.0.0.1:1/nowhere');
    await expect(s.runs.get('x')).rejects.toThrow(/ECONNREFUSED|connect/);
    await expect(s.ping()).rejects.toThrow();
    await s.close();
  });
});
