import type { RunInput } from '../../src/pipeline/run-input.ts';
import type { RunView } from '../../src/pipeline/view.ts';

/**
 * A run as the view shows it in `phase`, for the pure judges and card builders: work on the
 * render unless done, the version numbered from the input's history; `over` sets the rest.
 */
export function runViewAt(phase: RunView['phase'], input: RunInput, over: Partial<RunView> = {}): RunView {
  const n = (input.versions.at(-1)?.n ?? 0) + 1;
  return {
    runId: 'r1',
    phase,
    workPhase: phase === 'done' ? null : 'render',
    working: phase === 'render',
    input,
    moodsRev: 'm0',
    storyboardRev: 'sb-1',
    moods: null,
    storyboard: null,
    render: null,
    preview: null,
    previewDue: false,
    version: { n, rev: `v${n}`, what: 'First render', costUsd: 0 },
    deliveredMessageId: phase === 'done' ? 'F1' : null,
    error: null,
    errorCode: null,
    updatedAt: 'now',
    ...over,
  };
}
