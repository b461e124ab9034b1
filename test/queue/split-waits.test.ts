import { describe, expect, it } from 'vitest';
import { type JobTimes, splitWaits } from '../bench/scale-stats.ts';

const job = (runnableMs: number, startedMs: number, endedMs?: number, queue = 'adgen-render'): JobTimes => ({
  queue,
  runnableMs,
  startedMs,
  endedMs,
});

describe("bench:scale's split of a job's wait into queueing and pick-up", () => {
  it('a job started late while a slot was free is all pick-up', () => {
    expect(splitWaits([job(0, 300, 1000)], { 'adgen-render': 2 })).toEqual({
      pickupMs: [300],
      queueingMs: [0],
    });
  });

  it('a job behind busy slots queues until one frees, then its pick-up starts', () => {
    // One slot: the second job waits for the first (queueing 900 ms), then starts 40 ms late.
    const { pickupMs, queueingMs } = splitWaits([job(0, 10, 1000), job(100, 1040, 2000)], {
      'adgen-render': 1,
    });
    expect(queueingMs).toEqual([0, 900]);
    expect(pickupMs).toEqual([10, 40]);
  });

  it('credits the slot freed soonest, per queue, and never a slot still busy', () => {
    const jobs = [
      job(0, 5, 5000), // slot A busy until 5 s
      job(0, 5, 800), // slot B frees at 0.8 s
      job(100, 850, 3000), // takes B: 700 ms queueing, 50 ms pick-up
      job(0, 20, 100, 'adgen-moods'), // another queue's slots do not count
      job(900, 4000, undefined), // B busy until 3 s, A until 5 s: from 3 s on
    ];
    const { pickupMs, queueingMs } = splitWaits(jobs, { 'adgen-render': 2, 'adgen-moods': 1 });
    // Order: per queue, in start order (render first: it was seen first).
    expect(queueingMs).toEqual([0, 0, 700, 2100, 0]);
    expect(pickupMs).toEqual([5, 5, 50, 1000, 20]);
  });

  it('refuses a queue whose slot count it was not told', () => {
    expect(() => splitWaits([job(0, 1, 2, 'adgen-deliver')], { 'adgen-render': 2 })).toThrow(/deliver/);
  });
});
