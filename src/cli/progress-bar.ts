import type { ProgressEvent, ProgressSink, Stage } from '../pipeline/progress.ts';

export function bar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%`;
}

/**
 * A one-line progress bar on a terminal (redrawn in place), plain stage lines otherwise (CI logs,
 * pipes). Also remembers when each stage started, for the per-stage timings `demo` prints.
 */
export function createTerminalProgress(stream: NodeJS.WriteStream = process.stderr) {
  const tty = Boolean(stream.isTTY);
  const stageStarts = new Map<Stage, number>();
  let lastStage: Stage | undefined;
  let lastDraw = 0;
  const sink: ProgressSink = {
    report(e: ProgressEvent) {
      if (!stageStarts.has(e.stage)) stageStarts.set(e.stage, Date.now());
      const changed = e.stage !== lastStage;
      lastStage = e.stage;
      if (tty) {
        const now = Date.now();
        if (!changed && now - lastDraw < 100 && e.fraction < 1) return;
        lastDraw = now;
        stream.write(`\r\x1b[2K${bar(e.fraction)} ${e.message}`.slice(0, (stream.columns || 100) + 8));
      } else if (changed) {
        stream.write(`${e.message}\n`);
      }
    },
  };
  return {
    sink,
    mark(stage: Stage) {
      if (!stageStarts.has(stage)) stageStarts.set(stage, Date.now());
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
    /** Seconds spent in each stage, in order (a stage ends when the next begins). */
    timings(end = Date.now()): [Stage, number][] {
      const entries = [...stageStarts.entries()].sort((a, b) => a[1] - b[1]);
      return entries.map(([stage, t], i) => [stage, ((entries[i + 1]?.[1] ?? end) - t) / 1000]);
    },
  };
}
