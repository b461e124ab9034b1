import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { editContext, editRev, interpretEdit } from '../../src/pipeline/edits/index.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { executions } from '../helpers/app.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-edits-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });
const posted: string[] = [];
const app = createApp(config, {
  chatDelivery: {
    async deliver(_v, video) {
      posted.push(video.path);
      return { messageId: `msg-${posted.length}` };
    },
  },
});
const wf = app.workflow;
afterAll(() => {
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const RUN = 'edits-1';
/**
 * Paid or media step ids stored so far: what was made (or re-made) between two snapshots is their
 * difference. The free preview of each new storyboard revision is not counted (preview tests do).
 */
const stepIds = () => new Set([...executions(app.db, RUN).keys()].filter((id) => !id.startsWith('preview/')));
const made = (before: Set<string>) => [...stepIds()].filter((id) => !before.has(id)).sort();

async function say(text: string, actor = 'UREQ') {
  const v = await wf.view(RUN);
  const read = await interpretEdit(app.providers.llm, text, editContext(v));
  if (read.kind !== 'edit') throw new Error(`${text}: ${JSON.stringify(read)}`);
  return wf.decide(RUN, actor, { kind: 'edit.apply', rev: editRev(v), edit: read.edit });
}
async function approve() {
  const v = await wf.view(RUN);
  expect(v.phase).toBe('storyboard');
  expect(await wf.decide(RUN, 'UREQ', { kind: 'storyboard.approve', rev: v.storyboardRev })).toMatchObject({
    ok: true,
  });
  return wf.advance(RUN);
}

describe('edits in words through workflow.decide re-make only what depends on them', () => {
  it('scene, order, words and music edits, before and after the video', async () => {
    await wf.createRun(RUN, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 5, requester: 'UREQ' }));
    let v = await wf.advance(RUN);
    // Mood boards on show: only the brief can change yet, and the reason says so.
    expect(await say('swap scenes 3 and 4')).toMatchObject({ ok: false, refusal: 'wrong_phase' });
    await wf.decide(RUN, 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await wf.advance(RUN);
    expect(v.phase).toBe('storyboard');
    const plan = v.storyboard!.map((s) => s.scene);

    let before = stepIds();
    const night = await say('scene 2 at night, keep the rest');
    expect(night).toMatchObject({ ok: true, summary: expect.stringMatching(/^Scene 2 /) });
    v = await wf.advance(RUN);
    expect(made(before)).toEqual([
      expect.stringMatching(/^scene-1\/image\/.*-v[0-9a-f]{8}\/collect$/),
      expect.stringMatching(/^scene-1\/image\/.*\/submit$/),
    ]);
    expect(v.storyboard![1]!.scene.description).toMatch(/at night$/);
    expect(v.storyboard!.filter((s) => s.index !== 1).map((s) => s.scene)).toEqual(
      plan.filter((_, i) => i !== 1),
    );

    before = stepIds();
    expect(await say('swap scenes 3 and 4')).toMatchObject({ ok: true });
    v = await wf.advance(RUN);
    expect(made(before)).toEqual([]);
    expect(v.storyboard!.map((s) => s.source)).toEqual(plan.map((_, i) => (i === 2 ? 3 : i === 3 ? 2 : i)));
    expect(v.storyboard![2]!.scene).toEqual(plan[3]);

    expect(await say("end with 'Try Lumo free for 30 days'")).toMatchObject({ ok: true });
    expect(await say('shorter hook')).toMatchObject({ ok: true });
    v = await wf.view(RUN);
    expect(v.storyboard!.at(-1)!.scene.onScreen).toBe('Try Lumo free for 30 days');
    expect(v.storyboard!.reduce((s, x) => s + x.scene.durationS, 0)).toBe(30);
    expect(await say('calmer music')).toMatchObject({
      ok: true,
      summary: expect.stringMatching(/^New music/),
    });

    v = await approve();
    expect(v.phase).toBe('done');
    expect(posted).toHaveLength(1);

    // After the video: an edit makes the next version, from a storyboard to approve again.
    before = stepIds();
    expect(await say('scene 3 at night')).toMatchObject({ ok: true });
    v = await wf.advance(RUN);
    expect(v).toMatchObject({ phase: 'storyboard', working: false });
    v = await approve();
    expect(v.phase).toBe('done');
    // It is v2, saying what changed; v1 is kept in the history.
    expect(v.version).toMatchObject({ n: 2, rev: 'v2', what: expect.stringMatching(/scene 3/i) });
    expect(v.input.versions.map((p) => p.n)).toEqual([1]);
    // Scene 3 on the card is planned scene 4 (index 3) since the swap: its image and clip, nothing else.
    const again = made(before);
    expect(again.filter((id) => id.startsWith('scene-'))).toEqual([
      expect.stringMatching(/^scene-3\/clip\/.*\/collect$/),
      expect.stringMatching(/^scene-3\/clip\/.*\/submit$/),
      expect.stringMatching(/^scene-3\/image\/.*\/collect$/),
      expect.stringMatching(/^scene-3\/image\/.*\/submit$/),
    ]);
    expect(again.some((id) => id.startsWith('music/'))).toBe(false);

    before = stepIds();
    expect(await say('new music, more upbeat')).toMatchObject({ ok: true });
    v = await approve();
    expect(v.phase).toBe('done');
    const music = made(before);
    expect(music.filter((id) => id.startsWith('scene-'))).toEqual([]);
    expect(music.filter((id) => id.startsWith('music/'))).toHaveLength(2);
    expect(v.input).toMatchObject({ musicRev: 2, musicNote: 'more upbeat' });
    expect(posted).toHaveLength(3);
    expect(v.version).toMatchObject({ n: 3, what: expect.stringMatching(/^New music/) });
    expect(v.input.versions.map((p) => p.n)).toEqual([1, 2]);
  });

  it('refuses people who may not steer, privately worded, and leaves the ad as it was', async () => {
    const v = await wf.view(RUN);
    const r = await say('scene 2 at sunset', 'USOMEONE');
    expect(r).toMatchObject({
      ok: false,
      refusal: 'not_allowed',
      message: expect.stringMatching(/ADGEN_REVIEWERS/),
    });
    expect((await wf.view(RUN)).input).toEqual(v.input);
    const read = await interpretEdit(app.providers.llm, 'scene 2 at sunset', editContext(v));
    if (read.kind !== 'edit') throw new Error('not an edit');
    expect(
      await wf.decide(
        RUN,
        'UREV',
        { kind: 'edit.apply', rev: editRev(v), edit: read.edit },
        { reviewers: ['UREV'] },
      ),
    ).toMatchObject({ ok: true });
  });
});
