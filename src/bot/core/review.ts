import type { ThreadState } from './thread-state.ts';

/** Who may steer a thread and how many approvals start a render. */
export interface ReviewPolicy {
  /** Extra users allowed to act on any thread; `*` allows everyone. */
  reviewers: readonly string[];
  approvalsRequired: number;
}

export function mayAct(policy: ReviewPolicy, state: Pick<ThreadState, 'requester'>, user: string): boolean {
  return user === state.requester || policy.reviewers.includes('*') || policy.reviewers.includes(user);
}

export function refusal(state: Pick<ThreadState, 'requester'>, mention: (user: string) => string): string {
  return (
    `Only ${mention(state.requester)} (who started this ad) and the configured reviewers can steer it. ` +
    'You can still vote on mood boards with a reaction. Ask an admin to add you to ADGEN_REVIEWERS.'
  );
}

/** Votes per mood index (0-2), anyone may vote: it is the team's opinion, not a decision. */
export function tally(state: { votes: Record<string, number> }): number[] {
  const counts = [0, 0, 0];
  for (const index of Object.values(state.votes)) if (index >= 0 && index < 3) counts[index]!++;
  return counts;
}
