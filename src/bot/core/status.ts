import type { ProgressEvent, ProgressSink } from '../../pipeline/progress.ts';

export const STATUS_INTERVAL_MS = 2000;

/** `stageStartedAt`: when this event's stage began; the ETA covers the current stage only. */
export function progressText(e: ProgressEvent, stageStartedAt: number, now = Date.now()): string {
  const f = Math.min(1, Math.max(0, e.fraction));
  const width = 20;
  const full = Math.round(f * width);
  const barText = `${'▓'.repeat(full)}${'░'.repeat(width - full)} ${Math.round(f * 100)}%`;
  const lines = [barText, e.message];
  if (e.clipsTotal) lines.push(`Clips: ${e.clipsDone ?? 0}/${e.clipsTotal}`);
  const sf = e.stageFraction;
  const elapsed = (now - stageStartedAt) / 1000;
  if (sf !== undefined && sf > 0.05 && sf < 1 && elapsed > 2) {
    lines.push(`About ${formatDuration((elapsed * (1 - sf)) / sf)} left in this step`);
  }
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
  const routes = new Map<
    string,
    { show: (text: string, e: ProgressEvent) => Promise<void>; stage?: string; stageAt: number }
  >();
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
    route.show(progressText(e, route.stageAt), e).catch(() => {
      // A failed edit is not worth failing a render over; the next one will carry the state.
    });
  }

  const sink: ProgressSink = {
    previews: true,
    report(e) {
      const route = routes.get(e.runId);
      if (!route) return;
      if (route.stage !== e.stage) Object.assign(route, { stage: e.stage, stageAt: Date.now() });
      pending.set(e.runId, e);
      if (timers.has(e.runId)) return;
      const wait = Math.max(0, (lastSent.get(e.runId) ?? 0) + intervalMs - Date.now());
      timers.set(
        e.runId,
        setTimeout(() => flush(e.runId), wait),
      );
    },
  };
  const latest = new Map<string, ProgressEvent>();
  const remember = sink.report;
  sink.report = (e) => {
    latest.set(e.runId, e);
    remember(e);
  };
  return {
    sink,
    /** The newest progress of a run this process works on (`/adgen usage` shows its stage). */
    latest: (runId: string) => latest.get(runId),
    attach(runId: string, show: (text: string, e: ProgressEvent) => Promise<void>) {
      routes.set(runId, { show, stageAt: Date.now() });
    },
    detach(runId: string) {
      clearTimeout(timers.get(runId));
      timers.delete(runId);
      pending.delete(runId);
      routes.delete(runId);
      latest.delete(runId);
    },
  };
}
