import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { judge } from '../../src/pipeline/decisions.ts';
import { newRunInput, type RunInput } from '../../src/pipeline/run-input.ts';
import { type RunView, videoCardRev } from '../../src/pipeline/view.ts';

/** The pure judge of "More formats": only on a delivered ad, only on its current video card. */
function viewOf(phase: RunView['phase'], over: Partial<RunInput> = {}): RunView {
  const input = { ...newRunInput(DEMO_BRIEF, { seed: 1 }), approvedRev: 'sb-1', ...over };
  return {
    runId: 'r',
    phase,
    workPhase: phase === 'done' ? null : 'render',
    working: phase === 'render',
    input,
    moodsRev: 'm0',
    storyboardRev: 'sb-1',
    videoRev: videoCardRev(input),
    moods: null,
    storyboard: null,
    render: null,
    deliveredMessageId: phase === 'done' ? 'F1' : null,
    error: null,
    errorCode: null,
    updatedAt: 'now',
  };
}

describe('decision formats.more', () => {
  it('adds the missing formats after the first, keeping the delivered one first', () => {
    const v = viewOf('done', { formats: ['1x1'] });
    const verdict = judge(v, { kind: 'formats.more', rev: v.videoRev }, 'U1');
    expect(verdict.ok && verdict.next.formats).toEqual(['1x1', '9x16', '4x5', '16x9']);
  });

  it('is refused before delivery, on an older video card, and once every format exists', () => {
    const rendering = viewOf('render');
    expect(judge(rendering, { kind: 'formats.more', rev: rendering.videoRev }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'busy',
    });
    const done = viewOf('done');
    expect(judge(done, { kind: 'formats.more', rev: 'v-older' }, 'U1')).toMatchObject({ refusal: 'stale' });
    const all = viewOf('done', { formats: ['9x16', '4x5', '1x1', '16x9'] });
    expect(judge(all, { kind: 'formats.more', rev: all.videoRev }, 'U1')).toMatchObject({
      refusal: 'invalid',
    });
    expect(judge(viewOf('cancelled'), { kind: 'formats.more', rev: 'x' }, 'U1')).toMatchObject({
      refusal: 'finished',
    });
  });

  it('the video card revision changes with the formats, so a press on the old card is stale', () => {
    const one = newRunInput(DEMO_BRIEF, { seed: 1 });
    expect(videoCardRev(one)).not.toBe(videoCardRev({ ...one, formats: ['9x16', '4x5'] }));
  });
});
