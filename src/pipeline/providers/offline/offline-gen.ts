import type { AsyncGen, GenContext } from '../ports.ts';
import { offlineJobId, sleep, throwIfAborted } from './common.ts';

/**
 * The frame every offline generator shares: free, a deterministic job id (the same input names
 * the same job, so replays are idempotent), an optional artificial latency that ends on abort,
 * and the time taken. `render` only makes the files.
 */
export function offlineGen<I>(
  kind: string,
  delayMs: number | undefined,
  render: (input: I, ctx: GenContext) => Promise<string[]>,
): AsyncGen<I> {
  return {
    model: `offline:${kind}`,
    // Free: the storyboard's cost estimate shows 0 for offline jobs.
    estimateUsd: () => 0,
    submit: async (input: I) => ({ id: offlineJobId(kind, input), costUsd: 0 }),
    async collect(_job, input, ctx) {
      const started = Date.now();
      await sleep(delayMs ?? 0, ctx.signal);
      throwIfAborted(ctx.signal);
      const files = await render(input, ctx);
      return { files, predictTimeS: (Date.now() - started) / 1000, costUsd: 0 };
    },
  };
}
