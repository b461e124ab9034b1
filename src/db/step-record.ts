import type { StepRecord } from '../pipeline/engine.ts';

/** A stored step row (SQLite's or PostgreSQL's) as the engine reads it. */
export const stepRecord = ({ status, result, error, errorCode, retryable }: StepRecord): StepRecord => ({
  status,
  result,
  error,
  errorCode,
  retryable,
});
