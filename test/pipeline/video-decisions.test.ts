import { describe, expect, it } from 'vitest';
import { videoCard } from '../../src/bot/core/video-cards.ts';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { judge } from '../../src/pipeline/decisions.ts';
import type { ProfileName } from '../../src/pipeline/media/profiles.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { describeChange } from '../../src/pipeline/versions.ts';
import { deliverStepId, type RunView, renderStepId } from '../../src/pipeline/view.ts';
import { runViewAt } from '../helpers/run-view.ts';

/** A delivered v1 (or the phase given) as the view would show it. */
function viewOf(profile: ProfileName, phase: RunView['phase'] = 'done'): RunView {
  const input = { ...newRunInput(DEMO_BRIEF, { profile, seed: 1 }), moodChoice: 0, approvedRev: 'sb-1' };
  return runViewAt(phase, input, {
    version: { n: 1, rev: 'v1', what: 'First render', costUsd: 0.65 },
    deliveredMessageId: 'f1',
    updatedAt: '',
  });
}

describe('video actions are judged decisions that make the next version', () => {
  it('Change music: a new music revision, the clips and storyboard untouched, v1 kept in the history', () => {
    const v = viewOf('tiny');
    const r = judge(v, { kind: 'video.change_music', rev: 'v1' }, 'U1');
    if (!r.ok) throw new Error(r.message);
    expect(r.status).toBe('waiting');
    expect(r.next).toMatchObject({
      musicRev: 1,
      takeRev: 0,
      versionNote: 'Music changed',
      deliveryStarted: false,
    });
    expect(r.next.versions).toEqual([
      { n: 1, what: 'First render', renderStep: renderStepId(v.input), deliverStep: deliverStepId(v.input) },
    ]);
    // A new render and a new delivery: v1's steps stay where they are.
    expect(renderStepId(r.next)).not.toBe(renderStepId(v.input));
    expect(deliverStepId(r.next)).not.toBe(deliverStepId(v.input));
  });

  it('New take bumps the take; Final quality turns a draft final (same 720x1280 clips)', () => {
    const take = judge(viewOf('tiny'), { kind: 'video.new_take', rev: 'v1' }, 'U1');
    expect(take).toMatchObject({ ok: true, next: { takeRev: 1, versionNote: 'New take' } });
    const final = judge(viewOf('draft'), { kind: 'video.final', rev: 'v1' }, 'U1');
    expect(final).toMatchObject({ ok: true, next: { profile: 'final', versionNote: 'Draft → final' } });
  });

  it('refuses with a reason: stale card, a version still rendering, final twice, clips too small', () => {
    expect(judge(viewOf('tiny'), { kind: 'video.change_music', rev: 'v0' }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'stale',
      message: expect.stringMatching(/belong to v0; v1 is the latest/),
    });
    expect(judge(viewOf('tiny', 'render'), { kind: 'video.new_take', rev: 'v1' }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'busy',
    });
    expect(judge(viewOf('tiny', 'storyboard'), { kind: 'video.new_take', rev: 'v1' }, 'U1')).toMatchObject({
      ok: false,
      refusal: 'wrong_phase',
    });
    expect(judge(viewOf('final'), { kind: 'video.final', rev: 'v1' }, 'U1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/already at final quality/),
    });
    expect(judge(viewOf('tiny'), { kind: 'video.final', rev: 'v1' }, 'U1')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/clips are 144x256/),
    });
  });

  it('the video card offers Final quality only where the clips can be reused, and More formats while some are missing', () => {
    const actions = (profile: ProfileName) => videoCard(viewOf(profile)).buttons?.map((b) => b.action);
    expect(actions('draft')).toEqual([
      'video.new_take',
      'video.change_music',
      'video.final',
      'video.formats',
      'ad.edit',
    ]);
    expect(actions('tiny')).toEqual(['video.new_take', 'video.change_music', 'video.formats', 'ad.edit']);
    expect(actions('final')).toEqual(['video.new_take', 'video.change_music', 'video.formats', 'ad.edit']);
    const all = viewOf('final');
    all.input = { ...all.input, formats: ['9x16', '4x5', '1x1', '16x9'] };
    expect(videoCard(all).buttons?.map((b) => b.action)).toEqual([
      'video.new_take',
      'video.change_music',
      'ad.edit',
    ]);
    // While More formats is at work its note stands in for the version line, and its button is spent.
    const busy = videoCard(viewOf('final'), '📐 composing');
    expect(busy.text).toMatch(/^📐 composing/);
    expect(busy.buttons?.map((b) => b.action)).not.toContain('video.formats');
    expect(videoCard(viewOf('final')).text).toMatch(/^v1 · First render · cost \$0\.650/);
  });

  it('describes what differs in one line', () => {
    const a = newRunInput(DEMO_BRIEF, { profile: 'draft', seed: 1 });
    expect(describeChange(a, { ...a, sceneRevs: { '1': 1, '3': 2 } })).toBe('Scenes 2, 4 edited');
    expect(describeChange(a, { ...a, takeRev: 1, musicRev: 1 })).toBe('New take, music changed');
    expect(describeChange(a, a)).toBe('Rendered again');
  });
});
