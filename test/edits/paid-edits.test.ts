import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { editContext, editRev, interpretEdit } from '../../src/pipeline/edits/index.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { startFakes } from '../helpers/fakes.ts';

/** OpenAI reads the words, Replicate makes the media: what an edit costs is counted at the fake. */
describe('edits with the OpenAI planner and paid media: only what depends on the edit is paid again', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let app: ReturnType<typeof createApp>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-paid-edits-'));
  beforeAll(async () => {
    fakes = await startFakes();
    const config = loadConfig({ ...fakes.env, ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny' });
    app = createApp(config, { chatDelivery: { deliver: async () => ({ messageId: 'posted' }) } });
  });
  afterAll(async () => {
    app.close();
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('after the video, "scene 2 at night" pays for one image and one clip; "calmer music" for one track', async () => {
    const wf = app.workflow;
    const id = 'paid-1';
    await wf.createRun(id, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 2, requester: 'UREQ' }));
    let v = await wf.advance(id);
    await wf.decide(id, 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await wf.advance(id);
    const approve = async () => {
      const now = await wf.advance(id); // the edited scene's image first: a storyboard to approve
      expect(now).toMatchObject({ phase: 'storyboard', working: false });
      await wf.decide(id, 'UREQ', { kind: 'storyboard.approve', rev: now.storyboardRev });
      return wf.advance(id);
    };
    const say = async (text: string) => {
      const now = await wf.view(id);
      const read = await interpretEdit(app.providers.llm, text, editContext(now));
      if (read.kind !== 'edit') throw new Error(`${text}: ${JSON.stringify(read)}`);
      return wf.decide(id, 'UREQ', { kind: 'edit.apply', rev: editRev(now), edit: read.edit });
    };
    expect((await approve()).phase).toBe('done');
    const first = fakes.replicate.createsByModel();
    const scenes = v.storyboard!.length;
    // One prediction per mood board (its samples in one go), one image and one clip per scene, the music.
    expect(Object.values(first).reduce((a, b) => a + b, 0)).toBe(3 + scenes * 2 + 1);

    const planned = fakes.openai.count('edit_plan');
    expect(await say('scene 2 at night, keep the rest')).toMatchObject({ ok: true });
    expect(fakes.openai.count('edit_plan')).toBe(planned + 1);
    v = await approve();
    expect(v.phase).toBe('done');
    expect(v.storyboard![1]!.scene.description).toMatch(/at night under warm street lights$/);
    const diff = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(b)
          .map(([k, n]) => [k, n - (a[k] ?? 0)])
          .filter(([, n]) => n),
      );
    const second = fakes.replicate.createsByModel();
    expect(diff(first, second)).toEqual({
      'black-forest-labs/flux-schnell': 1,
      'bytedance/seedance-1-pro-fast': 1,
    });

    expect(await say('calmer music')).toMatchObject({ ok: true });
    expect((await approve()).phase).toBe('done');
    expect(diff(second, fakes.replicate.createsByModel())).toEqual({ 'stability-ai/stable-audio-2.5': 1 });
    const music = [...fakes.replicate.predictions.values()].filter((p) => p.kind === 'audio').at(-1)!;
    expect(JSON.stringify(music.input)).toMatch(/calmer, softer instrumental bed/);
  }, 180_000);
});
