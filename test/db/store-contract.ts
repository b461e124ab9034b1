import { afterEach, describe, expect, it } from 'vitest';
import { deliveryKey } from '../../src/bot/core/delivery.ts';
import { newThreadState } from '../../src/bot/core/thread-state.ts';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import type { Stores } from '../../src/db/ports.ts';
import { BrandKitSchema } from '../../src/pipeline/brand.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';

/** One backend under test: its stores, a second view on the same data (another process), cleanup. */
export interface StoreHarness {
  stores: Stores;
  /** The same data through a fresh set of stores (for SQLite: another connection to the file). */
  other(): Stores;
  cleanup(): void | Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const input = () => newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 1 });
const failure = { error: 'the prompt was refused', code: 'content_policy', retryable: false };

/**
 * The behaviour every store backend must have. A backend passes by adding one line:
 * `storeContract('name', openIt)` in its own test file (sqlite-stores.test.ts, memory-stores.test.ts).
 */
export function storeContract(name: string, open: () => StoreHarness | Promise<StoreHarness>) {
  describe(`store contract: ${name}`, () => {
    let h: StoreHarness | undefined;
    afterEach(async () => {
      await h?.cleanup();
      h = undefined;
    });
    const setup = async () => {
      h = await open();
      await h.stores.runs.create({ id: 'r1', title: 'one', input: input() });
      await h.stores.runs.create({ id: 'r2', title: 'two', input: input() });
      return h.stores;
    };

    it('memoises steps: unknown, running (a crash inside it), succeeded, failed with code', async () => {
      const { steps } = await setup();
      expect(await steps.load('r1', 's')).toBeUndefined();
      await steps.begin('r1', 's');
      expect((await steps.load('r1', 's'))?.status).toBe('running');
      await steps.succeed('r1', 's', { files: ['a.png'] }, 1, 5);
      expect(await steps.load('r1', 's')).toMatchObject({
        status: 'succeeded',
        result: { files: ['a.png'] },
      });
      await steps.begin('r1', 'f');
      await steps.fail('r1', 'f', failure, 3);
      const reopened = await h!.other().steps.load('r1', 'f');
      expect(reopened).toMatchObject({ status: 'failed', error: failure.error, errorCode: 'content_policy' });
      expect(reopened?.retryable).toBe(false);
      expect(await steps.load('r2', 's')).toBeUndefined();
      // A run's steps at once (views): the same records, and only that run's.
      await steps.begin('r2', 'other');
      const all = await h!.other().steps.loadRun('r1');
      expect([...all.keys()].sort()).toEqual(['f', 's']);
      expect(all.get('s')).toEqual(await steps.load('r1', 's'));
      expect(all.get('f')).toEqual(reopened);
      expect((await steps.loadRun('nobody')).size).toBe(0);
    });

    it('keeps a cancel final: a later status write never un-cancels the run', async () => {
      const { runs } = await setup();
      await runs.setStatus('r1', 'running', { error: null, errorCode: null });
      await runs.setStatus('r1', 'cancelled', { error: 'cancelled by a user' });
      await runs.setStatus('r1', 'succeeded', { outputPath: '/x.mp4' });
      await runs.setStatus('r1', 'failed', { error: 'late', errorCode: 'internal' });
      expect(await runs.get('r1')).toMatchObject({ status: 'cancelled', error: 'cancelled by a user' });
      await runs.setStatus('r2', 'failed', { error: 'boom', errorCode: 'ffmpeg_failed' });
      expect(await h!.other().runs.get('r2')).toMatchObject({ status: 'failed', errorCode: 'ffmpeg_failed' });
      expect((await runs.list()).map((r) => r.id).sort()).toEqual(['r1', 'r2']);
    });

    it('stores one of two decisions judged on the same state (compare-and-set)', async () => {
      const { decisions, runs } = await setup();
      const seen = input();
      const d = { kind: 'moods.regenerate', rev: 'm0' } as const;
      const wins = await Promise.all([
        decisions.record('r1', 'A', d, seen, { ...seen, moodsRev: 1 }),
        h!.other().decisions.record('r1', 'B', d, seen, { ...seen, moodsRev: 7 }),
      ]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      const list = await decisions.list('r1');
      expect(list).toHaveLength(1);
      expect(((await runs.get('r1'))!.input as { moodsRev: number }).moodsRev).toBe(
        list[0]!.actor === 'A' ? 1 : 7,
      );
      expect(await decisions.record('r2', 'C', { kind: 'cancel' }, seen, seen, 'cancelled')).toBe(true);
      expect((await runs.get('r2'))?.status).toBe('cancelled');
      expect(await decisions.startDelivery('r2')).toBe(false);
      expect(await decisions.startDelivery('r1')).toBe(true);
      expect((await runs.get('r1'))?.input).toMatchObject({ deliveryStarted: true });
    });

    it('rolls a transaction back when it throws: none of it is visible', async () => {
      const { steps, runs } = await setup();
      const boom = new Error('crash between the two writes');
      await expect(
        steps.transaction(async (tx) => {
          await tx.begin('r1', 'submit');
          await tx.succeed('r1', 'submit', { id: 'p1' }, 1, 1);
          await tx.runs.recordSubmit({
            runId: 'r1',
            stepId: 'submit',
            model: 'm',
            providerId: 'p1',
            costUsd: 2,
          });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await steps.load('r1', 'submit')).toBeUndefined();
      expect(await runs.openPredictions('r1')).toEqual([]);
      expect(await runs.spendUsd('r1')).toBe(0);
      await steps.transaction(async (tx) => {
        await tx.begin('r1', 'submit');
        await tx.succeed('r1', 'submit', { id: 'p1' }, 1, 1);
        await tx.runs.recordSubmit({
          runId: 'r1',
          stepId: 'submit',
          model: 'm',
          providerId: 'p1',
          costUsd: 2,
        });
      });
      expect((await h!.other().steps.load('r1', 'submit'))?.status).toBe('succeeded');
      expect(await runs.spendUsd('r1')).toBe(2);
    });

    it('serialises concurrent transactions and never shows a plain call uncommitted writes', async () => {
      const { runs } = await setup();
      const bump = () =>
        runs.transaction(async (tx) => {
          const n = ((await tx.get('r1'))!.input as { n?: number }).n ?? 0;
          await sleep(20); // a read-modify-write that interleaved would lose an increment
          await tx.setInput('r1', { ...input(), n: n + 1 });
        });
      await Promise.all([bump(), bump(), bump()]);
      expect(((await runs.get('r1'))!.input as { n: number }).n).toBe(3);
      const doomed = runs.transaction(async (tx) => {
        await tx.setInput('r1', { ...input(), n: -1 });
        await sleep(30);
        throw new Error('rolled back');
      });
      await sleep(5);
      const during = await runs.get('r1');
      await expect(doomed).rejects.toThrow('rolled back');
      expect((during!.input as { n: number }).n).toBe(3);
      expect(((await runs.get('r1'))!.input as { n: number }).n).toBe(3);
    });

    it('refuses a tx used after its transaction ended', async () => {
      const { runs } = await setup();
      let leaked: Parameters<Parameters<typeof runs.transaction>[0]>[0] | undefined;
      await runs.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.setStatus('r1', 'failed')).rejects.toThrow(/already ended/);
      expect((await runs.get('r1'))?.status).toBe('pending');
    });

    it('leases: acquire, renew, expiry, takeover, release', async () => {
      const { leases } = await setup();
      const other = h!.other().leases;
      expect(await leases.acquire('r1', 'A', 1000, 10_000)).toBeNull();
      expect(await leases.acquire('r1', 'A', 1000, 10_100)).toBeNull(); // ours already
      expect(await other.acquire('r1', 'B', 1000, 10_500)).toEqual({ owner: 'A', expiresAt: 11_100 });
      expect(await leases.renew('r1', 'A', 1000, 10_900)).toBe(true);
      expect(await other.acquire('r1', 'B', 1000, 11_500)).toMatchObject({ owner: 'A' });
      expect(await other.acquire('r1', 'B', 1000, 11_901)).toBeNull(); // expired: taken over
      expect(await leases.renew('r1', 'A', 1000, 12_000)).toBe(false);
      await leases.release('r1', 'A'); // not ours any more: no effect
      expect(await leases.acquire('r1', 'A', 1000, 12_000)).toMatchObject({ owner: 'B' });
      await other.release('r1', 'B');
      expect(await leases.acquire('r1', 'A', 1000, 12_001)).toBeNull();
      await expect(leases.acquire('nope', 'A', 1000, 0)).rejects.toMatchObject({ code: 'run_not_found' });
    });

    it('intents: open once, settle, abandon, and no two steps adopt one prediction', async () => {
      const { intents, runs } = await setup();
      const i = (stepId: string, nonce = `n-${stepId}`) => ({
        ...{ runId: 'r1', stepId, kind: 'create' as const, nonce, inputHash: 'h', createdMs: 1 },
      });
      const first = await intents.open(i('a'));
      expect(await intents.open(i('a', 'other'))).toEqual(first);
      await intents.settle('r1', 'a', 'p0');
      expect(await intents.get('r1', 'a')).toMatchObject({ status: 'done', externalId: 'p0', nonce: 'n-a' });
      await intents.open(i('x'));
      await intents.abandon('r1', 'x');
      expect((await intents.get('r1', 'x'))?.status).toBe('abandoned');
      await runs.recordSubmit({ runId: 'r2', stepId: 'y', model: 'm', providerId: 'p9', costUsd: 0 });
      const stepsIds = ['s1', 's2', 's3'];
      for (const s of stepsIds) await intents.open(i(s));
      const other = h!.other().intents;
      const adopted = await Promise.all(
        stepsIds.map((s, k) =>
          (k % 2 ? other : intents).adoptFirstUnclaimed('r1', s, ['p0', 'p9', 'p1', 'p2']),
        ),
      );
      expect(adopted.sort()).toEqual(['p1', 'p2', undefined]);
    });

    it('delivery log: open once (an old nonce wins), then done', async () => {
      const { deliveries } = await setup();
      expect(await deliveries.get('r1')).toBeNull();
      const first = await deliveries.open('r1', 'nonce1', 'hash');
      expect(first).toMatchObject({ nonce: 'nonce1', status: 'open', messageId: null });
      expect((await h!.other().deliveries.open('r1', 'nonce2', 'hash')).nonce).toBe('nonce1');
      await deliveries.done('r1', 'm-42');
      expect(await deliveries.get('r1')).toMatchObject({
        nonce: 'nonce1',
        status: 'done',
        messageId: 'm-42',
      });
      expect(await deliveries.get('r2')).toBeNull();
      // Each later version and each preview has its own key: the first video's intent is untouched.
      expect(await deliveries.get('r1', 'deliver/v2')).toBeNull();
      expect((await deliveries.open('r1', 'nonce3', 'hash', 'deliver/v2')).nonce).toBe('nonce3');
      await deliveries.done('r1', 'm-43', 'deliver/v2');
      expect(await deliveries.get('r1', 'deliver/v2')).toMatchObject({ status: 'done', messageId: 'm-43' });
      expect(await deliveries.get('r1')).toMatchObject({ nonce: 'nonce1', messageId: 'm-42' });
    });

    it('delivery log: each further file of a run (a format, keyed like a version) has its own intent and nonce', async () => {
      const { deliveries } = await setup();
      await deliveries.open('r1', 'main', 'hash');
      await deliveries.done('r1', 'm-1');
      expect(await deliveries.get('r1', 'deliver:4x5')).toBeNull();
      expect((await deliveries.open('r1', 'n45', 'hash', 'deliver:4x5')).nonce).toBe('n45');
      expect((await deliveries.open('r1', 'n11', 'hash', 'deliver:1x1')).nonce).toBe('n11');
      await deliveries.done('r1', 'm-45', 'deliver:4x5');
      expect(await deliveries.get('r1', 'deliver:4x5')).toMatchObject({ status: 'done', messageId: 'm-45' });
      expect(await deliveries.get('r1', 'deliver:1x1')).toMatchObject({ status: 'open', nonce: 'n11' });
      expect(await deliveries.get('r1')).toMatchObject({ nonce: 'main', messageId: 'm-1' });
      // v2's 4:5 is its own delivery again, next to v1's.
      expect(deliveryKey(1, '4x5')).toBe('deliver:4x5');
      expect(await deliveries.get('r1', deliveryKey(2, '4x5'))).toBeNull();
      expect((await deliveries.open('r1', 'n2', 'hash', deliveryKey(2, '4x5'))).nonce).toBe('n2');
      expect(await deliveries.get('r1', 'deliver:4x5')).toMatchObject({ nonce: 'n45' });
    });

    it('threads: save/get/byRun/unfinished/close, message links, dedupe and pruning', async () => {
      const { threads } = await setup();
      const brief = newThreadState('console:C:1', 'console', 'C', 'U1');
      const running = {
        ...newThreadState('console:C:2', 'console', 'C', 'U2'),
        stage: 'run' as const,
        runId: 'r1',
      };
      await threads.save(brief);
      await threads.save(running);
      expect(await threads.get('console:C:1')).toEqual(brief);
      expect((await threads.byRun('r1'))?.id).toBe('console:C:2');
      expect((await threads.unfinished()).map((t) => t.id)).toEqual(['console:C:2']);
      await threads.close('console:C:2');
      await threads.save({ ...running, cards: { a: 'm1' } }); // a late save keeps it closed
      expect(await threads.unfinished()).toEqual([]);
      expect((await threads.get('console:C:2'))?.cards).toEqual({ a: 'm1' });
      // A new version of a finished ad: the thread is resumed after a restart again.
      await threads.reopen('console:C:2');
      expect((await threads.unfinished()).map((t) => t.id)).toEqual(['console:C:2']);
      await threads.close('console:C:2');
      expect(await threads.unfinished()).toEqual([]);
      const link = { threadId: 'console:C:2', kind: 'storyboard' as const, ref: 0, rev: 'sb-1' };
      await threads.linkMessage('console', 'C', 'm1', link);
      await threads.linkMessage('console', 'C', 'm1', { ...link, rev: 'sb-2' });
      expect(await h!.other().threads.findMessage('console', 'C', 'm1')).toEqual({ ...link, rev: 'sb-2' });
      expect(await threads.findMessage('console', 'D', 'm1')).toBeUndefined();
      expect(await threads.firstDelivery('slack:ev1')).toBe(true);
      expect(await threads.firstDelivery('slack:ev1')).toBe(false);
      expect(await threads.pruneDeliveries(3600_000)).toBe(0);
      await sleep(5);
      expect(await threads.pruneDeliveries(1)).toBe(1);
      expect(await threads.firstDelivery('slack:ev1')).toBe(true);
    });

    it('brand kits: per scope, replaced whole, read back as copies, cleared once', async () => {
      const { brands } = await setup();
      const kit = BrandKitSchema.parse({
        name: 'Brewline',
        colours: { primary: '#1A2B3C', secondary: '#f5a623' },
        font: 'DejaVu Serif',
        callToAction: 'Get 50% off',
        url: 'brewline.com/start',
        logo: {
          path: '/data/brands/x/logo-a.png',
          sha256: 'a'.repeat(64),
          width: 64,
          height: 32,
          bytes: 900,
        },
      });
      expect(await brands.get('slack:T1:C1')).toBeUndefined();
      await brands.put('slack:T1:C1', kit);
      const read = await h!.other().brands.get('slack:T1:C1');
      expect(read).toEqual({ ...kit, colours: { ...kit.colours, primary: '#1a2b3c' } });
      expect(await brands.get('slack:T1:C2')).toBeUndefined();
      expect(await brands.get('slack:T2:C1')).toBeUndefined();
      read!.name = 'changed by the caller';
      expect((await brands.get('slack:T1:C1'))?.name).toBe('Brewline');
      await brands.put('slack:T1:C1', BrandKitSchema.parse({ name: 'Second' }));
      expect(await brands.get('slack:T1:C1')).toMatchObject({ name: 'Second', logo: null, url: null });
      await expect(brands.put('discord:G1', { ...kit, url: 'not a url' })).rejects.toThrow();
      expect(await brands.get('discord:G1')).toBeUndefined();
      expect(await brands.clear('slack:T1:C1')).toBe(true);
      expect(await h!.other().brands.clear('slack:T1:C1')).toBe(false);
      expect(await brands.get('slack:T1:C1')).toBeUndefined();
    });

    it('spend ledger: budgets per user and workspace, idempotent per step, day boundary', async () => {
      const { spend } = await setup();
      const day = Date.UTC(2026, 11, 1);
      const limits = { userDailyUsd: 5, workspaceDailyUsd: 8, maxActiveRunsPerUser: 9, dayStartMs: day };
      const r = (runId: string, stepId: string, user: string, usd: number, atMs = day + 1000) => ({
        runId,
        stepId,
        user,
        workspace: 'W',
        usd,
        atMs,
      });
      expect(await spend.reserve(r('r1', 'a', 'U1', 3), limits)).toEqual({ ok: true, already: false });
      expect(await spend.reserve(r('r1', 'a', 'U1', 3), limits)).toEqual({ ok: true, already: true });
      expect(await spend.reserve(r('r1', 'b', 'U1', 2), limits)).toMatchObject({ ok: true }); // exactly 5
      expect(await spend.reserve(r('r1', 'c', 'U1', 0.01), limits)).toEqual({
        ok: false,
        reason: 'user_daily',
        spentUsd: 5,
        limitUsd: 5,
      });
      expect(await spend.reserve(r('r2', 'a', 'U2', 3), limits)).toMatchObject({ ok: true });
      expect(await h!.other().spend.reserve(r('r2', 'b', 'U2', 1), limits)).toMatchObject({
        ok: false,
        reason: 'workspace_daily',
        spentUsd: 8,
      });
      // A new UTC day: yesterday's spend no longer counts against today's budgets.
      const tomorrow = { ...limits, dayStartMs: day + 86_400_000 };
      expect(await spend.reserve(r('r1', 'c', 'U1', 4, day + 86_400_000), tomorrow)).toMatchObject({
        ok: true,
      });
      expect(
        await spend.totals({ user: 'U1', workspace: 'W', dayStartMs: day + 86_400_000, monthStartMs: day }),
      ).toEqual({ userTodayUsd: 4, userMonthUsd: 9, workspaceTodayUsd: 4 });
    });

    it('spend ledger: a reservation becomes the actual bill once the prediction is paid', async () => {
      const { spend, runs } = await setup();
      await runs.create({ id: 'r4', title: 'four', input: input() });
      const day = Date.UTC(2026, 11, 1);
      const limits = { userDailyUsd: 5, workspaceDailyUsd: null, maxActiveRunsPerUser: 9, dayStartMs: day };
      const at = { user: 'U4', workspace: 'W4', atMs: day + 1000 };
      for (const stepId of ['clip', 'music'])
        expect(await spend.reserve({ runId: 'r4', stepId, usd: 2, ...at }, limits)).toMatchObject({
          ok: true,
        });
      await runs.recordSubmit({ runId: 'r4', stepId: 'clip', model: 'm', providerId: 'p4', costUsd: 2 });
      await runs.recordSubmit({ runId: 'r4', stepId: 'music', model: 'm', providerId: 'p5', costUsd: 2 });
      await runs.finishPrediction('r4', 'clip', 'succeeded', { predictTimeS: 3, costUsd: 0.75 });
      // A failure without a bill keeps the reservation: what it cost is not known.
      await runs.finishPrediction('r4', 'music', 'failed', {});
      const q = { user: 'U4', workspace: 'W4', dayStartMs: day, monthStartMs: day };
      expect((await spend.totals(q)).userTodayUsd).toBeCloseTo(2.75, 9);
      // The freed budget is usable again.
      expect(await spend.reserve({ runId: 'r4', stepId: 'again', usd: 2.25, ...at }, limits)).toMatchObject({
        ok: true,
      });
    });

    it('spend ledger: active paid runs per user count running, leased runs with a reservation', async () => {
      const { spend, runs, leases } = await setup();
      await runs.create({ id: 'r3', title: 'three', input: input() });
      const limits = { userDailyUsd: null, workspaceDailyUsd: null, maxActiveRunsPerUser: 2, dayStartMs: 0 };
      const r = (runId: string, stepId = 's') => ({
        runId,
        stepId,
        user: 'U1',
        workspace: 'W',
        usd: 1,
        atMs: 5,
      });
      for (const id of ['r1', 'r2', 'r3']) {
        await runs.setStatus(id, 'running');
        expect(await leases.acquire(id, `worker-${id}`, 1000, 0)).toBeNull(); // taken
      }
      expect(await spend.reserve(r('r1'), limits)).toMatchObject({ ok: true });
      expect(await spend.reserve(r('r2'), limits)).toMatchObject({ ok: true });
      expect(await spend.reserve(r('r3'), limits)).toEqual({
        ok: false,
        reason: 'active_runs',
        activeRuns: ['r1', 'r2'],
        limit: 2,
      });
      // A run already paying is never stopped by the limit; a finished one no longer counts.
      expect(await spend.reserve(r('r1', 't'), limits)).toMatchObject({ ok: true });
      await runs.setStatus('r2', 'waiting');
      expect((await h!.other().spend.activeRuns('U1', 5)).sort()).toEqual(['r1']);
      expect(await spend.reserve(r('r3'), limits)).toMatchObject({ ok: true });
      // A run whose process died (its lease lapsed) no longer holds its owner's slot.
      expect((await spend.activeRuns('U1', 5)).sort()).toEqual(['r1', 'r3']);
      expect(await spend.activeRuns('U1', 2000)).toEqual([]);
    });

    it('spend ledger: two renders racing for the last dollars cannot both pass', async () => {
      const { spend } = await setup();
      const limits = { userDailyUsd: 10, workspaceDailyUsd: null, maxActiveRunsPerUser: 9, dayStartMs: 0 };
      await spend.reserve({ runId: 'r1', stepId: 'a', user: 'U1', workspace: 'W', usd: 7, atMs: 1 }, limits);
      const other = h!.other().spend;
      const verdicts = await Promise.all(
        ['r1', 'r2', 'r1', 'r2'].map((runId, k) =>
          (k % 2 ? other : spend).reserve(
            { runId, stepId: `race-${k}`, user: 'U1', workspace: 'W', usd: 2, atMs: 2 },
            limits,
          ),
        ),
      );
      expect(verdicts.filter((v) => v.ok)).toHaveLength(1);
      expect(
        (await spend.totals({ user: 'U1', workspace: 'W', dayStartMs: 0, monthStartMs: 0 })).userTodayUsd,
      ).toBe(9);
    });
  });
}
