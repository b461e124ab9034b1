import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { judge } from '../../src/pipeline/decisions.ts';
import { newRunInput, type RunInput } from '../../src/pipeline/run-input.ts';
import { type RunView, renderStepId } from '../../src/pipeline/view.ts';
import { runViewAt } from '../helpers/run-view.ts';

/** The pure judge of "More formats": only on a delivered ad, only on its version's video card (`v<n>`). */
function viewOf(phase: RunView['phase'], over: Partial<RunInput> = {}): RunView {
  return runViewAt(
    phase,
    { ...newRunInput(DEMO_BRIEF, { seed: 1 }), approvedRev: 'sb-1', ...over },
    { runId: 'r' },
  );
}

describe('decision formats.more', () => {
  it('adds the missing formats after the first, keeping the delivered one first', () => {
    const v = viewOf('done', { formats: ['1x1'] });
    const verdict = judge(v, { kind: 'formats.more', rev: v.version.rev }, 'U1');
    expect(verdict.ok && verdict.next.formats).toEqual(['1x1', '9x16', '4x5', '16x9']);
  });

  it('is refused before delivery, on an older video card, and once every format exists', () => {
    const rendering = viewOf('render');
    expect(judge(rendering, { kind: 'formats.more', rev: rendering.version.rev }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'busy',
    });
    const done = viewOf('done');
    expect(judge(done, { kind: 'formats.more', rev: 'v0' }, 'U1')).toMatchObject({ refusal: 'stale' });
    const all = viewOf('done', { formats: ['9x16', '4x5', '1x1', '16x9'] });
    expect(judge(all, { kind: 'formats.more', rev: all.version.rev }, 'U1')).toMatchObject({
      refusal: 'invalid',
    });
    expect(judge(viewOf('cancelled'), { kind: 'formats.more', rev: 'x' }, 'U1')).toMatchObject({
      refusal: 'finished',
    });
  });

  it('stays the same version: the card revision is the version one, the render step names the formats', () => {
    const v = viewOf('done');
    const verdict = judge(v, { kind: 'formats.more', rev: 'v1' }, 'U1');
    if (!verdict.ok) throw new Error(verdict.message);
    expect(verdict.next.versions).toEqual([]);
    expect(verdict.status).toBe('waiting');
    expect(renderStepId(verdict.next)).not.toBe(renderStepId(v.input));
    // A run with the default format keeps the render step id it had before formats existed.
    expect(renderStepId(v.input)).not.toMatch(/9x16/);
  });
});
