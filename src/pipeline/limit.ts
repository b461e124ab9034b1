export interface LimitOptions {
  /** On a critical path (the next step waits for it and nothing else): ahead of those waiting. */
  first?: boolean;
  /** Free work nobody is waiting on yet (the storyboard's preview): only when no other task waits. */
  background?: boolean;
}

/** Run at most `n` tasks at once; the rest wait in order (see LimitOptions). */
export function createLimiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  const later: (() => void)[] = [];
  const next = () => {
    active--;
    (queue.shift() ?? later.shift())?.();
  };
  return async function limit<T>(task: () => Promise<T>, opts: LimitOptions = {}): Promise<T> {
    if (active >= n || (opts.background && queue.length > 0))
      await new Promise<void>((resolve) => {
        if (opts.background) later.push(resolve);
        else if (opts.first) queue.unshift(resolve);
        else queue.push(resolve);
      });
    active++;
    try {
      return await task();
    } finally {
      next();
    }
  };
}
