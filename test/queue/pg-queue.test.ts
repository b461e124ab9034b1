import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgJobQueue } from '../../src/db/pg-queue/boss.ts';
import type { JobQueue, RunJobKind } from '../../src/pipeline/jobs/ports.ts';
import { describePg, freshPgDatabase } from '../helpers/pg.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** Two queue instances on one database stand for two worker processes. */
describePg('the pg-boss job queue', (serverUrl) => {
  let db: Awaited<ReturnType<typeof freshPgDatabase>>;
  const queues: JobQueue[] = [];
  const leases = new Map<string, boolean>(); // runId -> held
  const open = async (renderConcurrency = 2) => {
    const q = await createPgJobQueue({
      url: db.url,
      renderConcurrency,
      leaseTtlMs: 1000,
      leaseFree: async (runId) => !leases.get(runId),
      onError: () => undefined,
    });
    queues.push(q);
    return q;
  };
  beforeAll(async () => {
    db = await freshPgDatabase(serverUrl, 'queue');
  });
  afterAll(async () => {
    for (const q of queues) await q.stop(0).catch(() => undefined);
    await db.drop();
  });

  it('hands each lane its events in order, one at a time, across two workers', async () => {
    const [a, b] = [await open(), await open()];
    const seen: { lane: string; n: number; by: string }[] = [];
    const inLane = new Map<string, number>();
    let overlap = 0;
    const handler = (by: string) => ({
      async event(lane: string, payload: unknown) {
        if ((inLane.get(lane) ?? 0) > 0) overlap++;
        inLane.set(lane, (inLane.get(lane) ?? 0) + 1);
        await sleep(5 + Math.random() * 20);
        seen.push({ lane, n: (payload as { n: number }).n, by });
        inLane.set(lane, inLane.get(lane)! - 1);
      },
      async run() {},
    });
    await a.work(handler('a'));
    await b.work(handler('b'));
    const lanes = ['t1', 't2', 't3'];
    for (let n = 0; n < 10; n++) for (const lane of lanes) await (n % 2 ? a : b).publishEvent(lane, { n });
    await until('all events', () => seen.length === 30);
    expect(overlap).toBe(0);
    for (const lane of lanes) {
      expect(seen.filter((s) => s.lane === lane).map((s) => s.n)).toEqual([...Array(10).keys()]);
    }
    expect(new Set(seen.map((s) => s.by)).size).toBe(2); // both workers took lanes
    const p = (await a.metrics()).pickupMs.concat((await b.metrics()).pickupMs);
    expect(p.length).toBe(30);
    await Promise.all([a.stop(0), b.stop(0)]);
  }, 60_000);

  it('keeps going with more busy threads than drainers whose handlers publish (the bot’s pattern)', async () => {
    const q = await open();
    const done: string[] = [];
    await q.work({
      async event(lane, payload) {
        const n = (payload as { n: number }).n;
        // A turn that answers and queues work, as the bot does from inside a lane.
        if (n < 3) await q.publishEvent(lane, { n: n + 1 });
        else await q.publishRun('moods', `run-${lane}`);
        done.push(`${lane}:${n}`);
      },
      async run() {},
    });
    const lanes = Array.from({ length: 20 }, (_, i) => `busy-${i}`);
    await Promise.all(lanes.map((lane) => q.publishEvent(lane, { n: 0 })));
    await until('every lane to finish', () => done.length === lanes.length * 4, 30_000);
    await q.stop(0);
  }, 60_000);

  it('runs a run job once, and gives a dead worker’s job to another once its lease lapses', async () => {
    const dead = await open(1); // one render slot, hung: a second slot would take the job again
    const live = await open();
    const ran: { kind: RunJobKind; runId: string; by: string }[] = [];
    let started = false;
    await dead.publishRun('render', 'run-x');
    await dead.publishRun('render', 'run-x'); // a second kick while one waits is absorbed
    // The busy-threads test above may leave its `moods` jobs queued (stop(0) does not wait for
    // them): only run-x is this test's, anything else is taken and finished at once.
    await dead.work({
      async event() {},
      async run(kind, runId) {
        if (runId !== 'run-x') return;
        ran.push({ kind, runId, by: 'dead' });
        started = true;
        leases.set(runId, true);
        await new Promise(() => undefined); // stands for a worker that was SIGKILLed mid-render
      },
    });
    await until('the first worker to take it', () => started);
    await live.work({
      async event() {},
      async run(kind, runId) {
        if (runId !== 'run-x') return;
        ran.push({ kind, runId, by: 'live' });
      },
    });
    await sleep(1500);
    expect(ran.map((r) => r.by)).toEqual(['dead']); // its lease is held: nobody else takes it
    const lapsedAt = Date.now();
    leases.set('run-x', false);
    await until('the live worker to take it over', () => ran.some((r) => r.by === 'live'));
    expect(Date.now() - lapsedAt).toBeLessThan(4000);
    expect(ran.filter((r) => r.by === 'live')).toHaveLength(1);
    await Promise.all([live.stop(0), dead.stop(0)]);
  }, 60_000);

  it('starts a job on an idle worker at once, and a failed one again just after its retry delay', async () => {
    const q = await open();
    const starts: number[] = [];
    await q.work({
      async event() {},
      async run() {
        starts.push(Date.now());
        if (starts.length === 1) throw new Error('a retryable failure');
      },
    });
    await sleep(2500); // every poller is idle now, waiting out its polling interval
    const published = Date.now();
    await q.publishRun('moods', 'run-retry');
    await until('the first start', () => starts.length === 1);
    // NOTIFY wakes the idle worker: not the polling interval (2 s).
    expect(starts[0]! - published).toBeLessThan(1000);
    await until('the retry', () => starts.length === 2);
    // pg-boss's retryDelay is 1 s; the retry's wake-up comes just after it, not at the next poll.
    const retryAfter = starts[1]! - starts[0]!;
    expect(retryAfter).toBeGreaterThanOrEqual(1000);
    expect(retryAfter).toBeLessThan(1900);
    await q.stop(0);
  }, 60_000);

  it('counts pick-up from a free slot: a job waiting behind a busy render slot is queueing', async () => {
    const q = await open(1);
    const started: number[] = [];
    await q.work({
      async event() {},
      async run() {
        started.push(Date.now());
        await sleep(1500);
      },
    });
    await q.publishRun('render', 'run-first');
    await q.publishRun('render', 'run-second');
    await until('both renders', () => started.length === 2);
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(1500); // it did wait for the slot
    const renders = (await q.metrics()).pickupMs;
    expect(renders).toHaveLength(2);
    for (const ms of renders) expect(ms).toBeLessThan(500);
    await q.stop(0);
  }, 60_000);

  it('hands a running job back at shutdown after the grace period', async () => {
    const leaving = await open();
    const staying = await open();
    let aborted = false;
    await leaving.work({
      async event() {},
      run: (_kind, _runId, signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('handed back'));
          }),
        ),
    });
    await leaving.publishRun('moods', 'run-y');
    await sleep(1000);
    const took: string[] = [];
    await staying.work({
      async event() {},
      async run(_k, runId) {
        took.push(runId);
      },
    });
    const t0 = Date.now();
    await leaving.stop(300);
    expect(aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
    await until('the other worker to take it', () => took.includes('run-y'), 10_000);
  }, 60_000);
});
