/**
 * Like Promise.all, but waits for every task before rejecting. Paid generations run side by side;
 * Promise.all would reject on the first failure and leave the others' downloads unawaited, and an
 * output not collected within the hour is deleted by Replicate and has to be paid for again. With
 * this, every other task still finishes and its step is stored; a retry re-makes only what failed.
 */
export async function settleAll<T>(tasks: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}
