import type { Transactional } from './stores.ts';

/**
 * The spend ledger port: money reserved for paid creates, by person and workspace. `src/db`
 * implements it (memory, SQLite; PostgreSQL behind the same port). Every amount is USD.
 */
export interface SpendReservation {
  runId: string;
  /** The paid step (one reservation per step: a resumed step never reserves twice). */
  stepId: string;
  user: string;
  workspace: string;
  usd: number;
  atMs: number;
}

/** What one reservation is checked against; `null` = unlimited. */
export interface ReserveLimits {
  userDailyUsd: number | null;
  workspaceDailyUsd: number | null;
  /** Other runs of the same person paying right now (status running, with a reservation). */
  maxActiveRunsPerUser: number;
  /** Start of the budget day (UTC midnight) of `atMs`. */
  dayStartMs: number;
}

export type ReserveVerdict =
  | { ok: true /** the step had reserved before: nothing was added */; already: boolean }
  | { ok: false; reason: 'user_daily' | 'workspace_daily'; spentUsd: number; limitUsd: number }
  | { ok: false; reason: 'active_runs'; activeRuns: string[]; limit: number };

export interface SpendTotals {
  userTodayUsd: number;
  userMonthUsd: number;
  workspaceTodayUsd: number;
}

export interface SpendMethods {
  /**
   * Checks the limits and records the reservation in ONE transaction, so two renders racing for
   * the last dollars (in this process or another) cannot both pass. Idempotent per (run, step).
   * The active-runs limit applies only to a run's first reservation: a render already paying is
   * never stopped half-way by a newer one.
   */
  reserve(r: SpendReservation, limits: ReserveLimits): Promise<ReserveVerdict>;
  totals(q: {
    user: string;
    workspace: string;
    dayStartMs: number;
    monthStartMs: number;
  }): Promise<SpendTotals>;
  /** Runs of `user` that have reserved money and are running now. */
  /** Runs of `user` that are running and held by a live lease at `nowMs` (default: now). */
  activeRuns(user: string, nowMs?: number): Promise<string[]>;
}

export type SpendStore = SpendMethods & Transactional<SpendMethods>;

/** Sums with a tolerance: float cents must not refuse a reservation that fits exactly. */
export const EPSILON_USD = 1e-9;

/**
 * The rule every backend applies inside its reserve transaction, from what it read there:
 * `already` (this step reserved before), today's sums, and the person's other paying runs.
 */
export function judgeReservation(
  r: SpendReservation,
  limits: ReserveLimits,
  seen: {
    already: boolean;
    userTodayUsd: number;
    workspaceTodayUsd: number;
    otherActiveRuns: string[];
    runHasReserved: boolean;
  },
): ReserveVerdict {
  if (seen.already) return { ok: true, already: true };
  if (!seen.runHasReserved && seen.otherActiveRuns.length >= limits.maxActiveRunsPerUser)
    return {
      ok: false,
      reason: 'active_runs',
      activeRuns: seen.otherActiveRuns,
      limit: limits.maxActiveRunsPerUser,
    };
  const over = (spent: number, limit: number | null) => limit !== null && spent + r.usd > limit + EPSILON_USD;
  if (over(seen.userTodayUsd, limits.userDailyUsd))
    return { ok: false, reason: 'user_daily', spentUsd: seen.userTodayUsd, limitUsd: limits.userDailyUsd! };
  if (over(seen.workspaceTodayUsd, limits.workspaceDailyUsd))
    return {
      ok: false,
      reason: 'workspace_daily',
      spentUsd: seen.workspaceTodayUsd,
      limitUsd: limits.workspaceDailyUsd!,
    };
  return { ok: true, already: false };
}
