import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { applyBriefEdit, applyEdit } from '../../src/pipeline/edits/apply.ts';
import { readEditOffline } from '../../src/pipeline/edits/offline.ts';
import { arrangeScenes } from '../../src/pipeline/edits/overrides.ts';
import type { Edit } from '../../src/pipeline/edits/schema.ts';
import { buildAssDocument } from '../../src/pipeline/media/ass.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { planTextLayer } from '../../src/pipeline/steps/text-layer.ts';
import { ctxAt, input, sixScenes } from './fixtures.ts';

const editOf = (text: string, phase: Parameters<typeof ctxAt>[0] = 'storyboard'): Edit => {
  const r = readEditOffline(text, ctxAt(phase));
  if (r.kind !== 'edit') throw new Error(`${text}: ${JSON.stringify(r)}`);
  return r.edit;
};
const apply = (e: Edit, i = input(), scenes = sixScenes()) => {
  const r = applyEdit({ input: i, scenes, moodTempoBpm: 96 }, e);
  if (!r.ok) throw new Error(r.reason);
  return { ...r, shown: arrangeScenes(r.next, scenes).map((a) => a.scene) };
};

describe('the offline interpreter maps the issue’s examples to typed edits', () => {
  it('"make the audience Gen Z gamers" at brief review is a brief edit', () => {
    const e = editOf('make the audience Gen Z gamers', 'brief_review');
    expect(e).toMatchObject({ target: 'brief', field: 'audience', value: 'Gen Z gamers' });
    const r = applyBriefEdit(DEMO_BRIEF, 'audience', e.target === 'brief' ? e.value : '');
    expect(r).toMatchObject({ ok: true, brief: { ...DEMO_BRIEF, audience: 'Gen Z gamers' } });
  });

  it('"scene 2 at night, keep the rest" changes scene 2 only, replacing its time of day', () => {
    const e = editOf('scene 2 at night, keep the rest');
    expect(e).toMatchObject({ target: 'scene', scene: 2, params: { scenes: [2], words: ['night'] } });
    const r = apply(e);
    expect(r.shown[1]!.description).toBe(
      'Scene 2: a intro shot of the cold brew on a kitchen table at night',
    );
    expect(r.shown[1]!.stylePrompt).toMatch(/^night-time/);
    expect(r.shown.filter((_, i) => i !== 1)).toEqual(sixScenes().filter((_, i) => i !== 1));
    expect(Object.keys(r.next.sceneEdits)).toEqual(['1']);
    expect(r.summary).toMatch(/^Scene 2 \(intro\): .*Re-making its image and clip; the other scenes stay/);
  });

  it('"shorter hook" takes a second from the hook and gives it to the nearest feature: still 30 s', () => {
    const r = apply(editOf('shorter hook'));
    expect(r.shown.map((s) => s.durationS)).toEqual([3, 5, 6, 5, 5, 6]);
    expect(r.summary).toContain('4 s → 3 s; scene 3 5 → 6 s to keep 30 s');
    // Already at the shortest a scene may be: refused with the rule, nothing changes.
    const read = readEditOffline('shorter hook', ctxAt('storyboard', r.shown));
    if (read.kind !== 'edit') throw new Error('not read as an edit');
    const again = applyEdit({ input: r.next, scenes: r.shown, moodTempoBpm: 96 }, read.edit);
    expect(again).toEqual({ ok: false, reason: 'A scene lasts 3-10 s, so scene 1 can’t be 2 s.' });
  });

  it('"swap scenes 3 and 4" permutes without touching any scene', () => {
    const e = editOf('swap scenes 3 and 4');
    expect(e).toMatchObject({ target: 'order', op: 'swap', from: 3, to: 4 });
    const r = apply(e);
    expect(r.next.sceneOrder).toEqual([0, 1, 3, 2, 4, 5]);
    expect(r.shown[2]!.title).toBe('Title 4');
    expect(r.next.sceneEdits).toEqual({});
    // Swapping back restores the plan's order (null), so every earlier step id is used again.
    const back = apply(e, r.next);
    expect(back.next.sceneOrder).toBeNull();
  });

  it('"end with \'Try Lumo free for 30 days\'" sets the closing words, nothing else', () => {
    const e = editOf("end with 'Try Lumo free for 30 days'");
    expect(e).toMatchObject({ target: 'on-screen', scene: 'end', text: 'Try Lumo free for 30 days' });
    const r = apply(e);
    expect(r.next.sceneEdits).toEqual({ '5': { onScreen: 'Try Lumo free for 30 days' } });
    expect(r.summary).toMatch(/only the words on screen change; no new images or clips/i);
  });

  it('"calmer music" and "new music, more upbeat" are music edits with a tempo direction', () => {
    const calm = apply(editOf('calmer music'));
    expect(calm.next).toMatchObject({ musicRev: 1, musicNote: 'calmer', musicTempoBpm: 76 });
    const up = apply(editOf('new music, more upbeat', 'done'), calm.next);
    expect(up.next).toMatchObject({ musicRev: 2, musicNote: 'more upbeat', musicTempoBpm: 96 });
    expect(up.next.sceneEdits).toEqual({});
  });
});

describe('bad input to the offline interpreter', () => {
  it('says why when it cannot map a change, and is quiet about chatter', () => {
    expect(readEditOffline('looks great, thanks!', ctxAt('storyboard'))).toEqual({ kind: 'not-a-change' });
    expect(readEditOffline('swap scene 3', ctxAt('storyboard'))).toMatchObject({
      kind: 'cannot',
      reason: /two scenes/,
    });
    expect(readEditOffline('make it pop somehow', ctxAt('storyboard'))).toMatchObject({
      kind: 'cannot',
      reason: /couldn’t tell what to change/,
    });
    expect(readEditOffline('at night', ctxAt('storyboard'))).toMatchObject({
      kind: 'cannot',
      reason: /Which scene/,
    });
    // The 5-7 scene rule: scenes are changed, swapped or regenerated, never added or removed.
    for (const text of ['remove scene 3', 'add another scene with a dog'])
      expect(readEditOffline(text, ctxAt('storyboard'))).toMatchObject({
        kind: 'cannot',
        reason: /keeps its 6 scenes \(5-7 in all, 30 s\), so I can’t add or remove one/,
      });
  });

  it('refuses what would break the rules, with the rule', () => {
    expect(readEditOffline('scene 9 at night', ctxAt('storyboard'))).toEqual({
      kind: 'cannot',
      reason: 'This storyboard has 6 scenes; there is no scene 9.',
    });
    const typed: Edit = { ...editOf('end with "Hi"'), target: 'on-screen', scene: 9, text: 'Hi' };
    expect(applyEdit({ input: input(), scenes: sixScenes(), moodTempoBpm: 96 }, typed)).toEqual({
      ok: false,
      reason: 'This storyboard has 6 scenes; there is no scene 9.',
    });
    expect(
      applyEdit({ input: input(), scenes: sixScenes(), moodTempoBpm: 96 }, editOf('scene 3 12 seconds')),
    ).toMatchObject({
      ok: false,
      reason: /3-10 s/,
    });
    expect(
      applyEdit({ input: input(), scenes: sixScenes(), moodTempoBpm: 96 }, editOf('swap scenes 2 and 8')),
    ).toMatchObject({
      ok: false,
      reason: /no scene 8/,
    });
  });

  it('shortens on-screen words that do not fit and says so; keeps markup as plain text', () => {
    const r = apply(editOf('scene 3 says "{\\b1}Brewed slow for twelve long hours in small batches"'));
    expect(r.shown[2]!.onScreen).toBe('{\\b1}Brewed slow for twelve long hours in');
    expect(r.summary).toContain('shortened to fit the screen');
    // Drawn by the text layer as the letters typed: the ASS override is escaped, not applied.
    const mood = {
      name: 'M',
      description: 'd',
      styleKeywords: ['a', 'b'],
      palette: ['#000000', '#ffffff', '#ff0000', '#00ff00'],
      aesthetic: 'a',
      tempoBpm: 96,
    };
    const ass = buildAssDocument(planTextLayer(r.shown, DEMO_BRIEF, mood, PROFILES.tiny));
    expect(ass).not.toContain('{\\b1}Brewed');
    expect(ass).toContain('\\{');
  });
});

describe('the README’s offline subset, row by row', () => {
  it.each([
    ['the second scene at sunset', { target: 'scene', scene: 2 }],
    ['all scenes in the rain', { target: 'all-scenes', append: { description: 'in the rain' } }],
    ['move scene 5 to 2', { target: 'order', op: 'move', from: 5, to: 2 }],
    ['move scene 4 first', { target: 'order', op: 'move', from: 4, to: 1 }],
    ['scene 3 says "Cold in 12 hours"', { target: 'on-screen', scene: 3, text: 'Cold in 12 hours' }],
    ['scene 3 longer', { target: 'scene', scene: 3, changes: { durationS: 6 } }],
    ['scene 2 6 seconds', { target: 'scene', scene: 2, changes: { durationS: 6 } }],
    ['change the tone to playful, bold', { target: 'brief', field: 'tone', value: 'playful, bold' }],
    ['the cta is Order now', { target: 'brief', field: 'callToAction', value: 'Order now' }],
    ['make it more playful', { target: 'brief', field: 'tone', value: ['playful', ...DEMO_BRIEF.tone] }],
    [
      'scene 4: a dog on a skateboard',
      { target: 'scene', scene: 4, changes: { description: 'a dog on a skateboard' } },
    ],
    ['add a voice-over', { target: 'voice' }],
    ['make a square version', { target: 'format' }],
  ] as const)('%s', (text, expected) => {
    expect(editOf(text)).toMatchObject(expected);
  });

  it('applies each of them, or says why not', () => {
    expect(apply(editOf('move scene 4 first')).next.sceneOrder).toEqual([3, 0, 1, 2, 4, 5]);
    expect(apply(editOf('change the tone to playful, bold')).next.brief.tone).toEqual(['playful', 'bold']);
    const scope = { input: input(), scenes: sixScenes(), moodTempoBpm: 96 };
    // Voice: the provider's configured voice, a named one, or off; none without a speech provider.
    expect(applyEdit(scope, editOf('add a voice-over'))).toMatchObject({
      ok: false,
      reason: /No speech provider/,
    });
    const voiced = applyEdit({ ...scope, defaultVoice: 'coral' }, editOf('add a voice-over'));
    expect(voiced).toMatchObject({ ok: true, next: { voice: 'coral', voiceRev: 1 } });
    const on = { ...scope, input: { ...input(), voice: 'coral' } };
    expect(applyEdit(on, editOf('use the voice nova'))).toMatchObject({ ok: true, next: { voice: 'nova' } });
    expect(applyEdit(on, editOf('no voice-over please'))).toMatchObject({
      ok: true,
      next: { voice: null, voiceRev: 1 },
      summary: /Voice-over off/,
    });
    // Formats: added from the same clips, replaced with "only", already there is a no-op refusal.
    const square = applyEdit(scope, editOf('make a square version'));
    expect(square).toMatchObject({
      ok: true,
      next: { formats: ['9x16', '1x1'] },
      summary: /no clip is paid again/,
    });
    expect(applyEdit(scope, editOf('only 16:9 please'))).toMatchObject({
      ok: true,
      next: { formats: ['16x9'] },
    });
    expect(applyEdit(scope, editOf('also a vertical format'))).toMatchObject({
      ok: false,
      reason: /already/,
    });
  });
});
