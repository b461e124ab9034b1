import type { ProgressEvent, ProgressSink } from '../../pipeline/progress.ts';

export const STATUS_INTERVAL_MS = 2000;

export function progressText(e: ProgressEvent, startedAt: number, now = Date.now()): string {
  const f = Math.min(1, Math.max(0, e.fraction));
  const width = 20;
  const full = Math.round(f * width);
  const barText = `${'▓'.repeat(full)}${'░'.repeat(width - full)} ${Math.round(f * 100)}%`;
  const lines = [barText, e.message];
  if (e.clipsTotal) lines.push(`Clips: ${e.clipsDone ?? 0}/${e.clipsTotal}`);
  const elapsed = (now - startedAt) / 1000;
  if (f > 0.05 && f < 1) lines.push(`About ${formatDuration((elapsed * (1 - f)) / f)} left`);
  return lines.join('\n');
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * Routes pipeline progress to "edit this thread's status message", at most once per interval per
 * run (chat.update is rate limited, ~50/min on Slack), always delivering the latest state last.
 */
export function createProgressRouter(intervalMs = STATUS_INTERVAL_MS) {
  const routes = new Map<string, { show: (text: string) => Promise<void>; startedAt: number }>();
  const pending = new Map<string, ProgressEvent>();
  const lastSent = new Map<string, number>();
  const timers = new Map<string, NodeJS.Timeout>();

  function flush(runId: string) {
    timers.delete(runId);
    const e = pending.get(runId);
    const route = routes.get(runId);
    if (!e || !route) return;
    pending.delete(runId);
    lastSent.set(runId, Date.now());
    route.show(progressText(e, route.startedAt)).catch(() => {
      // A failed edit is not worth failing a render over; the next one will carry the state.
    });
  }

  const sink: ProgressSink = {
    report(e) {
      if (!routes.has(e.runId)) return;
      pending.set(e.runId, e);
      if (timers.has(e.runId)) return;
      const wait = Math.max(0, (lastSent.get(e.runId) ?? 0) + intervalMs - Date.now());
      timers.set(
        e.runId,
        setTimeout(() => flush(e.runId), wait),
      );
    },
  };
  return {
    sink,
    attach(runId: string, show: (text: string) => Promise<void>) {
      routes.set(runId, { show, startedAt: Date.now() });
    },
    detach(runId: string) {
      clearTimeout(timers.get(runId));
      timers.delete(runId);
      pending.delete(runId);
      routes.delete(runId);
    },
  };
}
