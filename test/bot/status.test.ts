import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgressRouter, formatDuration, progressText } from '../../src/bot/core/status.ts';

afterEach(() => vi.useRealTimers());

describe('status message', () => {
  it('shows a bar, the stage, clips and an ETA for the current stage', () => {
    const text = progressText(
      {
        runId: 'r',
        stage: 'clips',
        fraction: 0.35,
        stageFraction: 0.5,
        clipsDone: 3,
        clipsTotal: 6,
        message: 'Animating scenes',
      },
      0,
      20_000,
    );
    expect(text).toMatch(/^▓{7}░{13} 35%/);
    expect(text).toContain('Clips: 3/6');
    expect(text).toContain('About 20 s left in this step');
    expect(formatDuration(125)).toBe('2 min 05 s');
  });

  it('edits at most once per interval and always ends on the latest state', async () => {
    vi.useFakeTimers();
    const router = createProgressRouter(2000);
    const shown: string[] = [];
    router.attach('r', async (t) => {
      shown.push(t);
    });
    const report = (n: number) =>
      router.sink.report({ runId: 'r', stage: 'clips', fraction: n / 10, message: `step ${n}` });
    report(1);
    await vi.advanceTimersByTimeAsync(0);
    for (let n = 2; n <= 9; n++) {
      report(n);
      await vi.advanceTimersByTimeAsync(300);
    }
    await vi.advanceTimersByTimeAsync(2000);
    expect(shown.length).toBeLessThanOrEqual(3);
    expect(shown.at(-1)).toContain('step 9');
    router.sink.report({ runId: 'other', stage: 'clips', fraction: 0.5, message: 'not routed' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(shown.some((s) => s.includes('not routed'))).toBe(false);
  });
});
