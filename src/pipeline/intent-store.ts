import type { Transactional } from './stores.ts';

/**
 * Intents (ARCHITECTURE.md "every external effect is an intent, then the effect, then the
 * record"): written before a paid create or a delivery, so a crash between sending the effect and
 * storing its result leaves a trace that a resumed run reconciles instead of repeating blind.
 */
export type IntentKind = 'create' | 'delivery';
export type IntentStatus = 'open' | 'done' | 'abandoned';

export interface Intent {
  runId: string;
  stepId: string;
  kind: IntentKind;
  /** Stable for the step: travels with the effect where the other side keeps a key. */
  nonce: string;
  inputHash: string | null;
  /** The other side's id (prediction id, message id) once known. */
  externalId: string | null;
  status: IntentStatus;
  createdMs: number;
}

export interface NewIntent {
  runId: string;
  stepId: string;
  kind: IntentKind;
  nonce: string;
  inputHash: string | null;
  createdMs: number;
}

/** Async like every store port, so a networked backend can implement it unchanged. */
export interface IntentMethods {
  get(runId: string, stepId: string): Promise<Intent | undefined>;
  /** Stores an open intent; an existing one for the step is kept as it is and returned. */
  open(intent: NewIntent): Promise<Intent>;
  /** Records the other side's id and closes the intent. */
  settle(runId: string, stepId: string, externalId: string): Promise<void>;
  /**
   * Closes the intent with the first candidate no step of any run has claimed yet, atomically,
   * so two steps with the same input never adopt one prediction. Undefined when all are taken.
   */
  adoptFirstUnclaimed(runId: string, stepId: string, candidates: string[]): Promise<string | undefined>;
  abandon(runId: string, stepId: string): Promise<void>;
}

export type IntentStore = IntentMethods & Transactional<IntentMethods>;
