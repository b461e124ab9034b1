import { describe, expect, it } from 'vitest';
import { judge } from '../../src/pipeline/decisions.ts';
import { readEditOffline } from '../../src/pipeline/edits/offline.ts';
import type { Edit } from '../../src/pipeline/edits/schema.ts';
import type { RunView } from '../../src/pipeline/view.ts';
import { ctxAt, input, sixScenes } from './fixtures.ts';

const edit = (text: string): Edit => {
  const r = readEditOffline(text, ctxAt('storyboard'));
  if (r.kind !== 'edit') throw new Error(text);
  return r.edit;
};

/** A view as the workflow derives it, at the phase given. */
function viewAt(phase: RunView['phase'], over: Partial<RunView> = {}): RunView {
  const i = { ...input(), moodChoice: 0 };
  return {
    runId: 'r',
    phase,
    workPhase: phase === 'done' || phase === 'cancelled' ? null : phase === 'failed' ? 'render' : phase,
    working: false,
    input: i,
    moodsRev: 'm0',
    storyboardRev: 'sb-1',
    moods: null,
    storyboard: sixScenes().map((scene, index) => ({
      index,
      source: index,
      scene,
      startS: 0,
      key: 'k',
      image: '',
    })),
    render: null,
    deliveredMessageId: null,
    error: null,
    errorCode: null,
    updatedAt: '',
    preview: null,
    previewDue: false,
    version: { n: 1, rev: 'v1', what: 'First render', costUsd: 0 },
    ...over,
  };
}
const d = (text: string, rev = 'sb-1') => ({ kind: 'edit.apply' as const, rev, edit: edit(text) });

describe('edit.apply phase and steering rules (pure judge)', () => {
  it('applies on the storyboard and resets approvals; after the video it waits for people again', () => {
    const on = judge(
      viewAt('storyboard', { input: { ...viewAt('storyboard').input, approvals: ['UREQ'] } }),
      d('swap scenes 3 and 4'),
      'UREQ',
    );
    expect(on).toMatchObject({
      ok: true,
      next: { sceneOrder: [0, 1, 3, 2, 4, 5], approvals: [] },
      status: undefined,
    });
    const after = judge(
      viewAt('done', { input: { ...viewAt('done').input, approvedRev: 'sb-1', deliveryStarted: true } }),
      d('calmer music'),
      'UREQ',
    );
    expect(after).toMatchObject({
      ok: true,
      status: 'waiting',
      next: { approvedRev: null, deliveryStarted: false, musicRev: 1 },
    });
    expect(judge(viewAt('failed'), d('scene 2 at night'), 'UREQ')).toMatchObject({
      ok: true,
      status: 'waiting',
    });
  });

  it('on the mood boards a brief edit brings new boards; other edits wait for a storyboard', () => {
    const moods = viewAt('moods', { input: input(), storyboard: null });
    const brief = { kind: 'edit.apply' as const, rev: 'm0', edit: edit('make the audience Gen Z gamers') };
    expect(judge(moods, brief, 'UREQ')).toMatchObject({
      ok: true,
      next: { moodsRev: 1, moodChoice: null, brief: { audience: 'Gen Z gamers' } },
    });
    expect(judge(moods, { ...d('calmer music'), rev: 'm0' }, 'UREQ')).toMatchObject({
      ok: false,
      refusal: 'wrong_phase',
      message: /pick a mood board first/,
    });
  });

  it('refuses, with the reason, whatever cannot apply now', () => {
    expect(judge(viewAt('render', { working: true }), d('scene 2 at night'), 'UREQ')).toMatchObject({
      ok: false,
      refusal: 'busy',
      message: expect.stringMatching(/being made right now.*next version/),
    });
    expect(judge(viewAt('storyboard', { working: true }), d('scene 2 at night'), 'UREQ')).toMatchObject({
      refusal: 'busy',
    });
    expect(judge(viewAt('storyboard'), d('scene 2 at night', 'sb-old'), 'UREQ')).toMatchObject({
      refusal: 'stale',
    });
    expect(judge(viewAt('cancelled'), d('scene 2 at night'), 'UREQ')).toMatchObject({ refusal: 'finished' });
    expect(judge(viewAt('storyboard'), d('scene 2 at night'), 'USOMEONE')).toMatchObject({
      refusal: 'not_allowed',
    });
    expect(judge(viewAt('storyboard'), d('scene 2 at night'), 'UREV', ['UREV'])).toMatchObject({ ok: true });
    expect(judge(viewAt('storyboard'), d('scene 2 at night'), 'UANY', ['*'])).toMatchObject({ ok: true });
  });

  it('a regenerated scene loses its words-edits but keeps its length, and follows its place after a swap', () => {
    const v = viewAt('storyboard', {
      input: {
        ...viewAt('storyboard').input,
        sceneOrder: [0, 1, 3, 2, 4, 5],
        sceneEdits: { '3': { description: 'at night', durationS: 6 }, '2': { durationS: 4 } },
      },
    });
    // Card position 3 shows planned scene 4 (index 3).
    const r = judge(v, { kind: 'scene.regenerate', rev: 'sb-1', index: 2 }, 'UREQ');
    expect(r).toMatchObject({
      ok: true,
      next: { sceneRevs: { '3': 1 }, sceneEdits: { '3': { durationS: 6 }, '2': { durationS: 4 } } },
    });
  });
});
