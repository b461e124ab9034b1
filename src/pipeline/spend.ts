import { NonRetryableError } from '../errors.ts';
import type { ReserveVerdict, SpendStore, SpendTotals } from './spend-store.ts';

/** Configured limits (ADGEN_BUDGET_*, ADGEN_MAX_ACTIVE_RUNS_PER_USER); `null` = unlimited. */
export interface SpendPolicy {
  userDailyUsd: number | null;
  workspaceDailyUsd: number | null;
  maxActiveRunsPerUser: number;
}

export const UNLIMITED: SpendPolicy = {
  userDailyUsd: null,
  workspaceDailyUsd: null,
  maxActiveRunsPerUser: 2,
};

/** Codes of a run stopped by spend control: paused, not broken; "Continue" picks it up. */
export const BUDGET_EXCEEDED = 'budget_exceeded';
export const ACTIVE_RUNS_LIMIT = 'active_runs_limit';
export const PAUSE_CODES: ReadonlySet<string> = new Set([BUDGET_EXCEEDED, ACTIVE_RUNS_LIMIT]);

/** Budgets are per UTC day: the day starts (and resets) at 00:00 UTC. */
export const utcDayStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
};
export const utcMonthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

export const money = (usd: number) => `$${usd.toFixed(2)}`;

/** "00:00 UTC (in 3 h 05 min)": when today's budget resets, said as a time and a wait. */
export function resetsAt(nowMs: number): string {
  const mins = Math.max(1, Math.ceil((utcDayStart(nowMs) + 86_400_000 - nowMs) / 60_000));
  const wait =
    mins >= 60 ? `${Math.floor(mins / 60)} h ${String(mins % 60).padStart(2, '0')} min` : `${mins} min`;
  return `00:00 UTC (in ${wait})`;
}

/** Stops a paid submit before it is sent; the run pauses with this plain message. */
export class BudgetExceededError extends NonRetryableError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'BudgetExceededError';
  }
}

/** What a refusal says: what was spent, the limit, and when it resets (or what to wait for). */
export function refusalMessage(
  v: Exclude<ReserveVerdict, { ok: true }>,
  costUsd: number,
  nowMs: number,
): string {
  if (v.reason === 'active_runs')
    return (
      `you already have ${v.activeRuns.length} paid render${v.activeRuns.length === 1 ? '' : 's'} running ` +
      `(the limit is ${v.limit} per person). Press Continue when one of them has finished.`
    );
  const whose = v.reason === 'user_daily' ? 'your daily budget' : 'this workspace’s daily budget';
  return (
    `${whose} is ${money(v.limitUsd)} and ${money(v.spentUsd)} of it is spent today; the next step ` +
    `costs about ${money(costUsd)}. It resets at ${resetsAt(nowMs)}. Press Continue once the budget ` +
    'allows it or has been raised.'
  );
}

export interface Spender {
  user: string;
  workspace: string;
}

/**
 * Spend control in front of every paid create (paid-submit.ts): the estimate is reserved in the
 * ledger, checked against the limits in the same transaction, or the submit is refused.
 */
export function createSpendGuard(store: SpendStore, policy: SpendPolicy, now: () => number = Date.now) {
  const limitsAt = (ms: number) => ({
    userDailyUsd: policy.userDailyUsd,
    workspaceDailyUsd: policy.workspaceDailyUsd,
    maxActiveRunsPerUser: policy.maxActiveRunsPerUser,
    dayStartMs: utcDayStart(ms),
  });
  return {
    policy,
    now,
    /** Reserves `usd` for a paid step or throws BudgetExceededError (before anything is paid). */
    async reserve(runId: string, stepId: string, who: Spender, usd: number, what: string): Promise<void> {
      const atMs = now();
      const v = await store.reserve({ runId, stepId, ...who, usd, atMs }, limitsAt(atMs));
      if (v.ok) return;
      const code = v.reason === 'active_runs' ? ACTIVE_RUNS_LIMIT : BUDGET_EXCEEDED;
      throw new BudgetExceededError(code, `Paused before ${what}: ${refusalMessage(v, usd, atMs)}`);
    },
    /** Whether `usd` more would fit today (to say so next to an estimate); reserves nothing. */
    async fits(who: Spender, usd: number): Promise<{ ok: true } | { ok: false; message: string }> {
      const t = await this.totals(who);
      const atMs = now();
      const check = (reason: 'user_daily' | 'workspace_daily', spent: number, limit: number | null) =>
        limit !== null && spent + usd > limit + 1e-9
          ? {
              ok: false as const,
              message: refusalMessage({ ok: false, reason, spentUsd: spent, limitUsd: limit }, usd, atMs),
            }
          : null;
      return (
        check('user_daily', t.userTodayUsd, policy.userDailyUsd) ??
        check('workspace_daily', t.workspaceTodayUsd, policy.workspaceDailyUsd) ?? { ok: true }
      );
    },
    totals(who: Spender): Promise<SpendTotals> {
      const ms = now();
      return store.totals({ ...who, dayStartMs: utcDayStart(ms), monthStartMs: utcMonthStart(ms) });
    },
    activeRuns: (user: string) => store.activeRuns(user),
  };
}

export type SpendGuard = ReturnType<typeof createSpendGuard>;
