import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { decodeMedia } from '../../src/pipeline/media/verify.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, mutateInput, tempApp } from '../helpers/app.ts';
import { startFakes } from '../helpers/fakes.ts';

const SEEDANCE = 'bytedance/seedance-1-pro-fast';
const MUSIC = 'stability-ai/stable-audio-2.5';
const scene3 = (p: { model: string; input: Record<string, unknown> }) =>
  p.model === SEEDANCE && String(p.input.prompt).startsWith('Scene 3:');

/** Bad media from the real `replicate` client's point of view: succeeded predictions, bad files. */
describe('provider media is decoded at collect time (real client, fake Replicate)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  let t: ReturnType<typeof tempApp>;
  beforeAll(async () => {
    fakes = await startFakes();
    t = tempApp(fakes.env);
  });
  afterAll(async () => {
    t.cleanup();
    await fakes.close();
  });

  async function toStoryboard(runId: string, seed: number) {
    await t.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed }));
    await t.pipeline.moodBoards(runId);
    await chooseMood(t, runId, 0);
    await t.pipeline.storyboard(runId);
  }
  const steps = (runId: string) => [...executions(t.db, runId).entries()];
  const clipCollects = (runId: string) => steps(runId).filter(([k]) => /^scene-2\/clip\/.*collect$/.test(k));

  it('a clip cut before its moov is re-made once under a new step id, then the run succeeds', async () => {
    const r = fakes.replicate;
    await toStoryboard('run-nomoov', 11);
    r.outcome({ match: scene3, status: 'no-moov', times: 1 });
    const before = r.createsByModel()[SEEDANCE] ?? 0;
    const out = await t.pipeline.render('run-nomoov');
    // Six clips, one of them made twice: seven creates, not six, not nine.
    expect((r.createsByModel()[SEEDANCE] ?? 0) - before).toBe(7);
    expect(
      Object.fromEntries(
        clipCollects('run-nomoov').map(([k, v]) => [k.includes('/again/') ? 'again' : 'first', v.status]),
      ),
    ).toEqual({
      first: 'failed',
      again: 'succeeded',
    });
    const { report } = await decodeMedia(out.path, 'any');
    expect(report.errors).toEqual([]);
    expect(report.decodedS).toBeGreaterThan(29.5);
  });

  it('a clip bad twice fails the step with the plain reason; nothing of it is stored as done', async () => {
    const r = fakes.replicate;
    await toStoryboard('run-trunc', 12);
    r.outcome({ match: scene3, status: 'truncated-faststart', times: 2 });
    const before = r.createsByModel()[SEEDANCE] ?? 0;
    await expect(t.pipeline.render('run-trunc')).rejects.toThrow(
      /scene 3's clip could not be decoded: the file is truncated/,
    );
    expect(await t.pipeline.get('run-trunc')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(
        /scene 3's clip could not be decoded: the file is truncated \(only [\d.]+ s of it decodes\)/,
      ),
    });
    expect((r.createsByModel()[SEEDANCE] ?? 0) - before).toBe(7);
    const collects = clipCollects('run-trunc');
    expect(collects).toHaveLength(2);
    // Each bad file was checked once: a decode failure is not retried.
    for (const [, v] of collects) expect(v).toMatchObject({ status: 'failed', executions: 1 });
    const assets = (await t.runs.assets('run-trunc')).filter((a) => a.stepId.startsWith('scene-2/clip/'));
    expect(assets).toEqual([]);
    expect((await t.runs.assets('run-trunc')).filter((a) => a.kind === 'video')).toEqual([]);

    // "Try again" (a new retry round) pays for exactly one more prediction of that clip, under its
    // own step id, instead of polling the two bad ones again; the render then finishes.
    await mutateInput(t, 'run-trunc', (i) => ({ ...i, retryRev: i.retryRev + 1 }));
    const out = await t.pipeline.render('run-trunc');
    expect(out.scenes).toBeGreaterThanOrEqual(5);
    expect((r.createsByModel()[SEEDANCE] ?? 0) - before).toBe(8);
    const retried = clipCollects('run-trunc').filter(([k]) => k.includes('/retry-1/'));
    expect(retried).toHaveLength(1);
    expect(retried[0]![1]).toMatchObject({ status: 'succeeded' });
  });

  it('a clip far shorter than asked, twice: the reason gives both lengths', async () => {
    const r = fakes.replicate;
    await toStoryboard('run-short', 13);
    r.outcome({ match: scene3, status: 'short', times: 2 });
    await expect(t.pipeline.render('run-short')).rejects.toThrow(
      /scene 3's clip is 1 s long; \d s were asked/,
    );
  });

  it('12 s of music is accepted with its real length on record, not re-made', async () => {
    const r = fakes.replicate;
    await toStoryboard('run-music', 14);
    r.outcome({ match: (p) => p.model === MUSIC, status: 'music-12s', times: 1 });
    const before = r.createsByModel()[MUSIC] ?? 0;
    await t.pipeline.render('run-music');
    expect((r.createsByModel()[MUSIC] ?? 0) - before).toBe(1);
    const row = t.db.$client
      .prepare("select result from steps where run_id = ? and step_id like 'music/%/collect'")
      .get('run-music') as { result: string };
    const media = (JSON.parse(row.result) as { media: { durationS: number }[] }).media;
    expect(media[0]!.durationS).toBeCloseTo(12, 0);
  });
});
