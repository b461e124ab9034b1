/**
 * Where approve-to-video goes (bench:pipeline): a timeline of one render from three records made
 * while it runs — the fake's predictions (created, answered), every media process the render
 * spawned (queued, started, ended: `mediaTrace` in run.ts) and the durable steps (begun, lasted).
 * All times are ms after the approve.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import path from 'node:path';
import type { MediaTraceEvent } from '../../src/pipeline/media/run.ts';

export interface PredictionRecord {
  kind: string;
  createdAt: number;
  latencyMs: number;
}
export interface StepRecordRow {
  step_id: string;
  updated_at: string;
  duration_ms: number | null;
}

/** What a media process was for, from its arguments (the builders' own shapes). */
export function mediaPurpose(e: Pick<MediaTraceEvent, 'bin' | 'args'>): string {
  const a = e.args;
  const input = a[a.indexOf('-i') + 1] ?? '';
  if (/ffprobe$/.test(e.bin))
    return input.endsWith('.part') || a.at(-1)?.endsWith('.part') ? 'output probe' : 'probe';
  if (a.includes('-frames:v')) return 'preview frame';
  if (a.at(-1)?.endsWith('.part')) return 'compose encode';
  if (a.includes('-filter_complex') && a.includes('null')) return 'compose audio measure';
  if (a.includes('-af')) return 'loudness measure';
  if (a.includes('null')) return input.endsWith('.part') ? 'output check' : 'collect check';
  return 'other';
}

/** Collects the media processes spawned from now on; `stop` returns them. */
export function recordMedia(): { stop: () => MediaTraceEvent[] } {
  const events: MediaTraceEvent[] = [];
  const onEvent = (m: unknown) => void events.push(m as MediaTraceEvent);
  subscribe('adgen:media-process', onEvent);
  return {
    stop: () => {
      unsubscribe('adgen:media-process', onEvent);
      return events;
    },
  };
}

const ms = (x: number) => `${Math.round(x)}`;

/**
 * The lines the bench prints. `approvedAt` and the trace use performance.now(); predictions and
 * steps use the wall clock, converted with performance.timeOrigin.
 */
export function breakdownLines(o: {
  approvedAt: number;
  endAt: number;
  predictions: PredictionRecord[];
  media: MediaTraceEvent[];
  steps: StepRecordRow[];
}): string[] {
  const rel = (perf: number) => perf - o.approvedAt;
  const relWall = (wall: number) => wall - performance.timeOrigin - o.approvedAt;
  const preds = o.predictions.filter((p) => relWall(p.createdAt) >= 0);
  const clips = preds.filter((p) => p.kind === 'video');
  const music = preds.filter((p) => p.kind === 'audio');
  const lines: string[] = [];
  const span = (xs: number[]) => (xs.length ? `${ms(Math.min(...xs))}..${ms(Math.max(...xs))}` : '-');
  const created = preds.map((p) => relWall(p.createdAt));
  const ready = clips.map((p) => relWall(p.createdAt + p.latencyMs));
  lines.push(
    `  breakdown (ms after approve): creates ${span(created)} (${clips.length} clips, ${music.length} music); clips ready at the provider ${span(ready)}; music ready ${span(music.map((p) => relWall(p.createdAt + p.latencyMs)))}`,
  );
  const stepTimes = o.steps
    .filter((s) => s.duration_ms !== null)
    .map((s) => {
      const start = relWall(Date.parse(s.updated_at));
      return { id: s.step_id, start, end: start + (s.duration_ms ?? 0) };
    })
    .filter((s) => s.end >= 0);
  const collects = (re: RegExp) => stepTimes.filter((s) => re.test(s.id) && s.id.endsWith('/collect'));
  const clipCollects = collects(/^scene-\d+\/clip\//);
  const musicCollects = collects(/^music\//);
  const compose = stepTimes.filter((s) => s.id.startsWith('compose/'));
  lines.push(
    `    clip collects (poll + download + check + store) end ${span(clipCollects.map((s) => s.end))}; music collect ends ${span(musicCollects.map((s) => s.end))}; compose step ${span(compose.flatMap((s) => [s.start, s.end]))}; render returned ${ms(rel(o.endAt))}`,
  );
  const byPurpose = new Map<string, MediaTraceEvent[]>();
  for (const e of o.media.filter((x) => rel(x.endedAt) >= 0)) {
    const k = mediaPurpose(e);
    byPurpose.set(k, [...(byPurpose.get(k) ?? []), e]);
  }
  for (const [k, es] of byPurpose) {
    const run = es.reduce((a, e) => a + e.endedAt - e.startedAt, 0);
    const queued = es.reduce((a, e) => a + e.startedAt - e.queuedAt, 0);
    lines.push(
      `    ${k}: ${es.length} x, ${span(es.flatMap((e) => [rel(e.startedAt), rel(e.endedAt)]))}, running ${ms(run / es.length)} ms each, queued ${ms(queued / es.length)} ms each`,
    );
  }
  // BENCH_VERBOSE=1: every media process of the render, in the order they started.
  if (process.env.BENCH_VERBOSE === '1')
    for (const e of o.media.filter((x) => rel(x.endedAt) >= 0).sort((x, y) => x.startedAt - y.startedAt))
      lines.push(
        `      ${mediaPurpose(e)} ${path.basename(e.args.find((a) => a.startsWith('/')) ?? '')}: queued ${ms(rel(e.queuedAt))}, ran ${ms(rel(e.startedAt))}..${ms(rel(e.endedAt))}`,
      );
  return lines;
}
