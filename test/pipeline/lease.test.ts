import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/client.ts';
import { createSqliteStores } from '../../src/db/sqlite-stores.ts';
import { RunContext } from '../../src/pipeline/engine.ts';
import { createLeases, LeaseHeldError, LeaseLostError } from '../../src/pipeline/lease.ts';
import { tempDb } from '../helpers/db.ts';

let env: ReturnType<typeof tempDb>;
const extra: { close(): void }[] = [];
afterEach(() => {
  for (const c of extra.splice(0)) c.close();
  env?.cleanup();
});

/** Two "processes": separate connections to one SQLite file, each with its own owner id. */
async function setup() {
  env = tempDb('adgen-lease-');
  await env.runs.create({ id: 'r1', title: 't', input: {} });
  const other = openDb(path.join(env.dir, 'adgen.db'));
  extra.push(other.$client);
  return { a: env.stores.leases, b: createSqliteStores(other).leases };
}
const leaseRow = () =>
  env.db.$client.prepare('select lease_owner as owner, lease_expires_at as exp from runs').get() as {
    owner: string | null;
    exp: number | null;
  };

describe('run leases over SQLite', () => {
  it('lets one owner in and names it to the other, with its expiry', async () => {
    const { a, b } = await setup();
    expect(await a.acquire('r1', 'A', 1000, 10_000)).toBeNull();
    expect(await a.acquire('r1', 'A', 1000, 10_100)).toBeNull(); // already ours: renewed
    expect(await b.acquire('r1', 'B', 1000, 10_500)).toEqual({ owner: 'A', expiresAt: 11_100 });
    expect(leaseRow()).toEqual({ owner: 'A', exp: 11_100 });
  });

  it('is taken over only once it has expired, and renewal then fails for the old owner', async () => {
    const { a, b } = await setup();
    await a.acquire('r1', 'A', 1000, 0);
    expect(await b.acquire('r1', 'B', 1000, 999)).not.toBeNull();
    expect(await b.acquire('r1', 'B', 1000, 1000)).toBeNull();
    expect(await a.renew('r1', 'A', 1000, 1001)).toBe(false);
    expect(await b.renew('r1', 'B', 1000, 1001)).toBe(true);
    expect(leaseRow()).toEqual({ owner: 'B', exp: 2001 });
  });

  it('release frees the run at once, and only its owner can release it', async () => {
    const { a, b } = await setup();
    await a.acquire('r1', 'A', 60_000, 0);
    await b.release('r1', 'B');
    expect(leaseRow().owner).toBe('A');
    await a.release('r1', 'A');
    expect(leaseRow()).toEqual({ owner: null, exp: null });
    expect(await b.acquire('r1', 'B', 60_000, 1)).toBeNull();
  });

  it('lets exactly one of many racing processes win', async () => {
    const { a, b } = await setup();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).acquire('r1', `P${i}`, 60_000, 5)),
    );
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = leaseRow().owner;
    for (const r of results) if (r) expect(r.owner).toBe(winner);
  });
});

describe('withLease', () => {
  it('renews while working, refuses a second owner, is re-entrant, and releases when done', async () => {
    const { a, b } = await setup();
    const mine = createLeases(a, { ttlMs: 300, renewMs: 40, owner: 'A' });
    const theirs = createLeases(b, { ttlMs: 300, renewMs: 40, owner: 'B' });
    await mine.withLease('r1', async () => {
      const first = leaseRow().exp!;
      await new Promise((r) => setTimeout(r, 400)); // past one TTL: only renewal keeps it ours
      expect(leaseRow().owner).toBe('A');
      expect(leaseRow().exp!).toBeGreaterThan(first);
      const refused = await theirs.withLease('r1', async () => 'worked').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LeaseHeldError);
      expect((refused as LeaseHeldError).holder.owner).toBe('A');
      expect((refused as LeaseHeldError).message).toMatch(/is being worked by A until \d\d:\d\d:\d\d UTC/);
      expect(await mine.withLease('r1', async () => 'nested')).toBe('nested');
      expect(leaseRow().owner).toBe('A'); // the nested exit did not release it
    });
    expect(leaseRow()).toEqual({ owner: null, exp: null });
    expect(await theirs.withLease('r1', async () => 'worked')).toBe('worked');
  });

  it('waits for the holder to let go when asked to wait', async () => {
    const { a, b } = await setup();
    const mine = createLeases(a, { ttlMs: 200, renewMs: 50, owner: 'A' });
    const theirs = createLeases(b, { ttlMs: 200, renewMs: 50, owner: 'B' });
    const order: string[] = [];
    const first = mine.withLease('r1', async () => {
      await new Promise((r) => setTimeout(r, 300));
      order.push('A');
    });
    await new Promise((r) => setTimeout(r, 20));
    await theirs.withLease('r1', async () => order.push('B'), { wait: true });
    await first;
    expect(order).toEqual(['A', 'B']);
  });

  it('aborts work before its next step once another process has taken the lease over', async () => {
    const { a, b } = await setup();
    const mine = createLeases(a, { ttlMs: 200, renewMs: 30, owner: 'A' });
    const ran: string[] = [];
    const work = mine.withLease('r1', async (lost) => {
      const rc = new RunContext('r1', env.steps, lost, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 });
      await rc.step('one', async () => ran.push('one'));
      // We stall past our expiry (a blocked event loop, a laptop lid) and B takes the run over.
      await b.acquire('r1', 'B', 60_000, Date.now() + 10_000);
      await new Promise((r) => setTimeout(r, 150));
      await rc.step('two', async () => ran.push('two'));
    });
    await expect(work).rejects.toBeInstanceOf(LeaseLostError);
    expect(ran).toEqual(['one']);
    expect(leaseRow().owner).toBe('B'); // the loser did not release what is no longer its own
  });
});
