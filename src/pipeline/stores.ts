/**
 * Persistence ports the pipeline needs; `src/db` implements them (SQLite, in memory). Every
 * method is async so a networked backend (PostgreSQL) implements the same ports unchanged.
 */
export type RunStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRow<I = unknown> {
  id: string;
  status: RunStatus;
  title: string;
  input: I;
  error: string | null;
  /** Typed code of the failure (errors.ts), so a resumed run reports the same reason. */
  errorCode: string | null;
  outputPath: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RunSummary extends RunRow {
  spendUsd: number;
  predictions: number;
  stepsDone: number;
}

export type AssetKind = 'image' | 'clip' | 'music' | 'video' | 'voice';

export interface AssetRecord {
  runId: string;
  stepId: string;
  kind: AssetKind;
  path: string;
  sha256: string;
  bytes: number;
}

export interface PredictionSubmit {
  runId: string;
  stepId: string;
  model: string;
  providerId: string;
  costUsd: number;
}

export interface RunMethods {
  create(row: { id: string; title: string; input: unknown; status?: RunStatus }): Promise<void>;
  get(id: string): Promise<RunRow | undefined>;
  list(limit?: number): Promise<RunSummary[]>;
  /** A cancel is final: a later status write (work ending as it landed) never un-cancels. */
  setStatus(
    id: string,
    status: RunStatus,
    extra?: { error?: string | null; errorCode?: string | null; outputPath?: string | null },
  ): Promise<void>;
  setInput(id: string, input: unknown): Promise<void>;
  recordAsset(a: AssetRecord): Promise<void>;
  assets(runId: string): Promise<AssetRecord[]>;
  recordSubmit(p: PredictionSubmit): Promise<void>;
  finishPrediction(
    runId: string,
    stepId: string,
    status: 'succeeded' | 'failed' | 'canceled',
    extra?: { predictTimeS?: number; costUsd?: number },
  ): Promise<void>;
  spendUsd(runId: string): Promise<number>;
  /** Predictions submitted but not finished (to cancel them). */
  openPredictions(runId: string): Promise<{ stepId: string; model: string; providerId: string }[]>;
}

/**
 * `transaction(fn)`: everything `fn` does through `tx` is committed together when it resolves,
 * or not at all when it throws. `tx` must not be used after `fn` returns, and `fn` must not call
 * the store itself (only `tx`): a backend may serialise transactions, so that call would wait
 * for the transaction it is part of. Keep `fn` short and free of external effects.
 * `opts.scope` (e.g. a run id) promises that `fn` reads and writes only that scope's rows: a
 * backend may then run it alongside transactions of other scopes (PostgreSQL does, unit.ts).
 */
export interface Transactional<Tx> {
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TxOptions): Promise<T>;
}

export interface TxOptions {
  scope?: string;
}

export type RunStore = RunMethods & Transactional<RunMethods>;
