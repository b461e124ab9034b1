import { type DeliveryMethods, FIRST_DELIVERY } from '../bot/core/delivery.ts';
import type { ThreadMethods } from '../bot/core/thread-state.ts';
import { AppError } from '../errors.ts';
import type { BrandMethods } from '../pipeline/brand.ts';
import { BrandKitSchema } from '../pipeline/brand.ts';
import type { IntentMethods } from '../pipeline/intent-store.ts';
import type { LeaseMethods } from '../pipeline/lease.ts';
import { readKit } from './brand-store.ts';
import {
  copy,
  emptyState,
  type MemoryState,
  memoryDecisionOps,
  memoryRunOps,
  memoryStepOps,
  pair,
} from './memory-runs.ts';
import { memorySpendOps } from './memory-spend.ts';
import type { Stores } from './ports.ts';
import { bindTx, type Ops, port, serialisedUnit, type Unit } from './unit.ts';

function intentOps(s: MemoryState): Ops<IntentMethods> {
  const settle = (runId: string, stepId: string, externalId: string) => {
    const i = s.intents.get(pair(runId, stepId));
    if (i) Object.assign(i, { externalId, status: 'done' });
  };
  return {
    get: (runId, stepId) => copy(s.intents.get(pair(runId, stepId))),
    open(i) {
      const key = pair(i.runId, i.stepId);
      if (!s.intents.has(key)) s.intents.set(key, { ...i, status: 'open', externalId: null });
      return copy(s.intents.get(key)!);
    },
    settle,
    adoptFirstUnclaimed(runId, stepId, candidates) {
      const taken = new Set<string | null>([
        ...[...s.intents.values()].map((i) => i.externalId),
        ...[...s.predictions.values()].map((p) => p.providerId),
      ]);
      const free = candidates.find((id) => !taken.has(id));
      if (free) settle(runId, stepId, free);
      return free;
    },
    abandon(runId, stepId) {
      const i = s.intents.get(pair(runId, stepId));
      if (i) i.status = 'abandoned';
    },
  };
}

function leaseOps(s: MemoryState): Ops<LeaseMethods> {
  return {
    acquire(runId, owner, ttlMs, nowMs) {
      const r = s.runs.get(runId);
      if (!r) throw new AppError('run_not_found', `no run with id ${runId}`);
      const free = !r.leaseOwner || r.leaseOwner === owner || (r.leaseExpiresAt ?? 0) <= nowMs;
      if (!free) return { owner: r.leaseOwner!, expiresAt: r.leaseExpiresAt ?? nowMs };
      Object.assign(r, { leaseOwner: owner, leaseExpiresAt: nowMs + ttlMs });
      return null;
    },
    renew(runId, owner, ttlMs, nowMs) {
      const r = s.runs.get(runId);
      if (r?.leaseOwner !== owner) return false;
      r.leaseExpiresAt = nowMs + ttlMs;
      return true;
    },
    release(runId, owner) {
      const r = s.runs.get(runId);
      if (r?.leaseOwner === owner) Object.assign(r, { leaseOwner: null, leaseExpiresAt: null });
    },
  };
}

function deliveryOps(s: MemoryState): Ops<DeliveryMethods> {
  const ops = intentOps(s);
  const view = (runId: string, key = FIRST_DELIVERY) => {
    const i = s.intents.get(pair(runId, key));
    return i ? { nonce: i.nonce, status: i.status, messageId: i.externalId, createdMs: i.createdMs } : null;
  };
  return {
    get: view,
    open(runId, nonce, inputHash, key = FIRST_DELIVERY) {
      ops.open({ runId, stepId: key, kind: 'delivery', nonce, inputHash, createdMs: Date.now() });
      return view(runId, key)!;
    },
    done: (runId, messageId, key = FIRST_DELIVERY) => ops.settle(runId, key, messageId),
  };
}

function threadOps(s: MemoryState): Ops<ThreadMethods> {
  const key = (platform: string, channel: string, id: string) => `${platform}:${channel}:${id}`;
  const open = (phase: string) => !['brief', 'brief_review', 'closed'].includes(phase);
  return {
    get: (id) => copy(s.threads.get(id)?.state),
    save(state) {
      const phase = s.threads.get(state.id)?.phase === 'closed' ? 'closed' : state.stage;
      s.threads.set(state.id, { phase, runId: state.runId, state: copy(state) });
    },
    unfinished: () => [...s.threads.values()].filter((t) => open(t.phase)).map((t) => copy(t.state)),
    byRun: (runId) => copy([...s.threads.values()].find((t) => t.runId === runId)?.state),
    linkMessage(platform, channel, messageId, link) {
      s.messages.set(key(platform, channel, messageId), { ...link });
    },
    findMessage: (platform, channel, messageId) => copy(s.messages.get(key(platform, channel, messageId))),
    firstDelivery(k) {
      if (s.seen.has(k)) return false;
      s.seen.set(k, Date.now());
      return true;
    },
    pruneDeliveries(olderThanMs) {
      const cutoff = Date.now() - olderThanMs;
      const old = [...s.seen].filter(([, at]) => at < cutoff);
      for (const [k] of old) s.seen.delete(k);
      return old.length;
    },
    close(id) {
      const t = s.threads.get(id);
      if (t) t.phase = 'closed';
    },
    reopen(id) {
      const t = s.threads.get(id);
      if (t) t.phase = t.state.stage;
    },
  };
}

function brandOps(s: MemoryState): Ops<BrandMethods> {
  return {
    get: (scope) => (s.brands.has(scope) ? readKit(copy(s.brands.get(scope))) : undefined),
    put(scope, kit) {
      s.brands.set(scope, BrandKitSchema.parse(copy(kit)));
    },
    clear: (scope) => s.brands.delete(scope),
  };
}

const units = new WeakMap<MemoryState, Unit<MemoryState>>();

function memoryUnit(state: MemoryState): Unit<MemoryState> {
  let snapshot: MemoryState | undefined;
  return serialisedUnit(state, {
    begin: () => {
      snapshot = structuredClone(state);
    },
    commit: () => {
      snapshot = undefined;
    },
    rollback: () => {
      if (snapshot) Object.assign(state, snapshot);
      snapshot = undefined;
    },
  });
}

/**
 * Every store port in memory: the reference implementation the contract suite pins, and a fast
 * backend for tests. Same transaction rules as SQLite (unit.ts): one at a time, plain calls wait.
 */
export function createMemoryStores(state: MemoryState = emptyState()): Stores {
  // Stores over one state share its unit: their transactions queue on one mutex, as SQLite's do.
  const unit = units.get(state) ?? memoryUnit(state);
  units.set(state, unit);
  return {
    runs: port(unit, memoryRunOps),
    steps: port(unit, memoryStepOps, (c, live) => ({ runs: bindTx(memoryRunOps(c), live) })),
    decisions: port(unit, memoryDecisionOps),
    intents: port(unit, intentOps),
    leases: port(unit, leaseOps),
    deliveries: port(unit, deliveryOps),
    threads: port(unit, threadOps),
    brands: port(unit, brandOps),
    spend: port(unit, memorySpendOps),
  };
}

export { emptyState, type MemoryState } from './memory-runs.ts';
