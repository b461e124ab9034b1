import type { MessageLink, ThreadState } from '../bot/core/thread-state.ts';
import type { DecisionMethods, DecisionRecord } from '../pipeline/decisions.ts';
import type { StepMethods, StepRecord } from '../pipeline/engine.ts';
import type { Intent } from '../pipeline/intent-store.ts';
import type { SpendReservation } from '../pipeline/spend-store.ts';
import type { AssetRecord, RunMethods, RunRow } from '../pipeline/stores.ts';
import { sameInput } from './decision-store.ts';
import type { Ops } from './unit.ts';

interface StoredRun extends RunRow {
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
}
interface StoredStep extends StepRecord {
  attempts: number;
  executions: number;
}
interface StoredPrediction {
  runId: string;
  stepId: string;
  model: string;
  providerId: string;
  costUsd: number;
  status: 'submitted' | 'succeeded' | 'failed' | 'canceled';
}

/** Everything the in-memory backend holds; a transaction snapshots it and restores it on throw. */
export interface MemoryState {
  runs: Map<string, StoredRun>;
  steps: Map<string, StoredStep>;
  assets: Map<string, AssetRecord>;
  predictions: Map<string, StoredPrediction>;
  decisions: (DecisionRecord & { runId: string })[];
  intents: Map<string, Intent>;
  threads: Map<string, { phase: string; runId: string | null; state: ThreadState }>;
  messages: Map<string, MessageLink>;
  seen: Map<string, number>;
  /** Brand kits by scope (pipeline/brand.ts). */
  brands: Map<string, unknown>;
  /** The spend ledger by (run, step): see spend_ledger in schema.ts. */
  spend: Map<string, SpendReservation>;
}

export const emptyState = (): MemoryState => ({
  runs: new Map(),
  steps: new Map(),
  assets: new Map(),
  predictions: new Map(),
  decisions: [],
  intents: new Map(),
  threads: new Map(),
  messages: new Map(),
  seen: new Map(),
  brands: new Map(),
  spend: new Map(),
});

/** Callers get copies, as from a database: changing what they read never changes what is stored. */
export const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));
export const stamp = () => new Date().toISOString();
export const pair = (a: string, b: string) => `${a}\u0000${b}`;

export function memoryRunOps(s: MemoryState): Ops<RunMethods> {
  const spend = (runId: string) =>
    [...s.predictions.values()].filter((p) => p.runId === runId).reduce((t, p) => t + p.costUsd, 0);
  const run = (id: string) => s.runs.get(id);
  return {
    create({ id, title, input, status = 'pending' }) {
      if (s.runs.has(id)) throw new Error(`a run with id ${id} already exists`);
      const at = stamp();
      s.runs.set(id, {
        ...{ id, title, input: copy(input), status, error: null, errorCode: null, outputPath: null },
        ...{ createdAt: at, updatedAt: at, leaseOwner: null, leaseExpiresAt: null },
      });
    },
    get(id) {
      const r = run(id);
      if (!r) return undefined;
      const { leaseOwner: _o, leaseExpiresAt: _e, ...row } = r;
      return copy(row);
    },
    list(limit = 50) {
      const rows = [...s.runs.values()].reverse().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return rows.slice(0, limit).map(({ leaseOwner: _o, leaseExpiresAt: _e, ...r }) => ({
        ...copy(r),
        spendUsd: spend(r.id),
        predictions: [...s.predictions.values()].filter((p) => p.runId === r.id).length,
        stepsDone: [...s.steps.entries()].filter(
          ([k, st]) => k.startsWith(pair(r.id, '')) && st.status === 'succeeded',
        ).length,
      }));
    },
    setStatus(id, status, extra = {}) {
      const r = run(id);
      // A cancel is final (as in run-store.ts).
      if (!r || (r.status === 'cancelled' && status !== 'cancelled')) return;
      Object.assign(r, { status, updatedAt: stamp() }, extra);
    },
    setInput(id, input) {
      const r = run(id);
      if (r) Object.assign(r, { input: copy(input), updatedAt: stamp() });
    },
    recordAsset(a) {
      s.assets.set(a.path, { ...(s.assets.get(a.path) ?? {}), ...a });
    },
    assets: (runId) => copy([...s.assets.values()].filter((a) => a.runId === runId)),
    recordSubmit(p) {
      s.predictions.set(pair(p.runId, p.stepId), { ...p, status: 'submitted' });
    },
    finishPrediction(runId, stepId, status, extra = {}) {
      const p = s.predictions.get(pair(runId, stepId));
      if (p) Object.assign(p, { status }, extra.costUsd === undefined ? {} : { costUsd: extra.costUsd });
      // The ledger reserved the estimate before the create; once the bill is known it says that.
      const reserved = s.spend.get(pair(runId, stepId));
      if (reserved && extra.costUsd !== undefined) reserved.usd = extra.costUsd;
    },
    spendUsd: spend,
    openPredictions: (runId) =>
      [...s.predictions.values()]
        .filter((p) => p.runId === runId && p.status === 'submitted')
        .map(({ stepId, model, providerId }) => ({ stepId, model, providerId })),
  };
}

export function memoryStepOps(s: MemoryState): Ops<StepMethods> {
  const record = (st: StoredStep): StepRecord => {
    const { status, result, error, errorCode, retryable } = st;
    return copy({ status, result, error, errorCode, retryable });
  };
  return {
    load(runId, stepId) {
      const st = s.steps.get(pair(runId, stepId));
      return st && record(st);
    },
    loadRun(runId) {
      const prefix = pair(runId, '');
      const mine = [...s.steps].filter(([k]) => k.startsWith(prefix));
      return new Map(mine.map(([k, st]) => [k.slice(prefix.length), record(st)]));
    },
    begin(runId, stepId) {
      const st = s.steps.get(pair(runId, stepId));
      if (st) Object.assign(st, { status: 'running', executions: st.executions + 1 });
      else s.steps.set(pair(runId, stepId), { status: 'running', attempts: 0, executions: 1 });
    },
    succeed(runId, stepId, result, attempts) {
      const st = s.steps.get(pair(runId, stepId));
      if (st) Object.assign(st, { status: 'succeeded', result: copy(result), error: null, attempts });
    },
    fail(runId, stepId, f, attempts) {
      const st = s.steps.get(pair(runId, stepId));
      if (st)
        Object.assign(st, {
          status: 'failed',
          error: f.error,
          errorCode: f.code,
          retryable: f.retryable,
          attempts,
        });
    },
  };
}

export function memoryDecisionOps(s: MemoryState): Ops<DecisionMethods> {
  return {
    record(runId, actor, d, expected, next, status) {
      const r = s.runs.get(runId);
      if (!r || !sameInput(r.input, expected)) return false;
      const id = s.decisions.length + 1;
      const rev = 'rev' in d ? d.rev : null;
      s.decisions.push({ id, runId, kind: d.kind, actor, rev, decision: copy(d), createdAt: stamp() });
      Object.assign(r, { input: copy(next), updatedAt: stamp() });
      if (status) Object.assign(r, { status, error: status === 'cancelled' ? 'cancelled by a user' : null });
      return true;
    },
    list: (runId) => copy(s.decisions.filter((d) => d.runId === runId).map(({ runId: _r, ...d }) => d)),
    startDelivery(runId) {
      const r = s.runs.get(runId);
      if (!r || r.status === 'cancelled') return false;
      Object.assign(r, { input: { ...(r.input as object), deliveryStarted: true }, updatedAt: stamp() });
      return true;
    },
  };
}
