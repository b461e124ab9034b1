/**
 * Run at most `n` tasks at once; the rest wait in order. A task marked `first` (on a critical
 * path: the next step waits for it and nothing else) goes ahead of the ones already waiting.
 */
export function createLimiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    active--;
    queue.shift()?.();
  };
  return async function limit<T>(task: () => Promise<T>, opts: { first?: boolean } = {}): Promise<T> {
    if (active >= n)
      await new Promise<void>((resolve) => (opts.first ? queue.unshift(resolve) : queue.push(resolve)));
    active++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
