/** Persistence ports the pipeline needs; `src/db` implements them over SQLite. */
export type RunStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';

export interface RunRow<I = unknown> {
  id: string;
  status: RunStatus;
  title: string;
  input: I;
  error: string | null;
  outputPath: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RunSummary extends RunRow {
  spendUsd: number;
  predictions: number;
  stepsDone: number;
}

export type AssetKind = 'image' | 'clip' | 'music' | 'video';

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

export interface RunStore {
  create(row: { id: string; title: string; input: unknown; status?: RunStatus }): void;
  get<I>(id: string): RunRow<I> | undefined;
  list(limit?: number): RunSummary[];
  setStatus(
    id: string,
    status: RunStatus,
    extra?: { error?: string | null; errorCode?: string | null; outputPath?: string | null },
  ): void;
  setInput(id: string, input: unknown): void;
  recordAsset(a: AssetRecord): void;
  assets(runId: string): AssetRecord[];
  recordSubmit(p: PredictionSubmit): void;
  finishPrediction(
    runId: string,
    stepId: string,
    status: 'succeeded' | 'failed' | 'canceled',
    extra?: { predictTimeS?: number; costUsd?: number },
  ): void;
  spendUsd(runId: string): number;
  /** Predictions submitted but not finished (to cancel them). */
  openPredictions(runId: string): { stepId: string; model: string; providerId: string }[];
}
