import type { AsyncGen } from '../../src/pipeline/providers/ports.ts';

/**
 * A free offline generator made to cost `usd` per job, as a paid provider would: the same amount
 * as its estimate before the create and as its bill after the collect (the spend ledger takes
 * the bill once it is known).
 */
export function priced<I>(gen: AsyncGen<I>, usd: number): AsyncGen<I> {
  return {
    ...gen,
    estimateUsd: () => usd,
    collect: async (job, input, ctx) => ({ ...(await gen.collect(job, input, ctx)), costUsd: usd }),
  };
}
