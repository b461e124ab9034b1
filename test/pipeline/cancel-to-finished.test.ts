import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { judge } from '../../src/pipeline/decisions.ts';
import { wentBackToFinished } from '../../src/pipeline/finished-state.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { RunView } from '../../src/pipeline/view.ts';
import { runViewAt } from '../helpers/run-view.ts';

/** A run as the view shows it; `input` defaults to a v1 (approved). */
const viewOf = (phase: RunView['phase'], input = newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 1 })) =>
  runViewAt(phase, { ...input, moodChoice: 0, approvedRev: 'sb-1' });

/** The verdict's next state, or the refusal as an error. */
function next(v: RunView, d: Parameters<typeof judge>[1]) {
  const r = judge(v, d, 'U1');
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('cancelling work started from a finished ad goes back to it (pure rules)', () => {
  const done = viewOf('done');
  const v1 = { ...done.input, deliveryStarted: true };

  it('a new version keeps the finished v1; its cancel restores v1 exactly, as succeeded', () => {
    const take = next({ ...done, input: v1 }, { kind: 'video.new_take', rev: 'v1' });
    expect(take.next.finished).toEqual({ ...v1, finished: null });
    expect(take.next.versions).toHaveLength(1);
    const cancel = next(viewOf('render', take.next), { kind: 'cancel' });
    expect(cancel.status).toBe('succeeded');
    expect(cancel.next).toEqual({ ...v1, finished: null });
    expect(cancel.summary).toBe('v2 is cancelled; v1 is the latest version again, and its buttons work.');
    expect(wentBackToFinished(take.next, cancel.next)).toBe(true);
    // A failed v2 goes back too; the finished ad itself cannot be cancelled.
    expect(next(viewOf('failed', take.next), { kind: 'cancel' }).status).toBe('succeeded');
    expect(judge(viewOf('done', cancel.next), { kind: 'cancel' }, 'U1')).toMatchObject({ ok: false });
  });

  it('More formats keeps the version and its delivery mark, so its cancel is refused as before', () => {
    const more = next({ ...done, input: v1 }, { kind: 'formats.more', rev: 'v1' });
    expect(more.next.formats).toHaveLength(4);
    expect(more.next.finished).toEqual({ ...v1, finished: null });
    expect(judge(viewOf('render', more.next), { kind: 'cancel' }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'too_late',
    });
  });

  it('before any finished video a cancel still cancels the ad; a video on its way cannot be', () => {
    const first = viewOf('render');
    expect(next(first, { kind: 'cancel' })).toMatchObject({ status: 'cancelled', next: first.input });
    expect(wentBackToFinished(first.input, first.input)).toBe(false);
    const take = next({ ...done, input: v1 }, { kind: 'video.new_take', rev: 'v1' });
    const posting = viewOf('deliver', { ...take.next, deliveryStarted: true });
    expect(judge(posting, { kind: 'cancel' }, 'U1')).toMatchObject({ ok: false, refusal: 'too_late' });
  });
});
