import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { RunView } from '../../src/pipeline/view.ts';
import type { DeliveryPort } from '../../src/pipeline/workflow.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-wf-'));
const config = loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' });

/** A delivery port that records what it posts and can be held open, like a slow upload. */
function recordingDelivery() {
  const posted: string[] = [];
  let hold: Promise<void> | undefined;
  let release = () => {};
  let entered = () => {};
  const port: DeliveryPort & { posted: string[] } = {
    posted,
    async deliver(_v, video) {
      entered();
      await hold;
      posted.push(video.path);
      return { messageId: `msg-${posted.length}` };
    },
  };
  return {
    port,
    /** The next delivery waits until `release()`; resolves `started` when it begins. */
    holdNext() {
      hold = new Promise((r) => {
        release = () => r();
      });
      return new Promise<void>((r) => {
        entered = r;
      });
    },
    release: () => release(),
  };
}

const delivery = recordingDelivery();
const app = createApp(config, { chatDelivery: delivery.port });
const wf = app.workflow;
afterAll(() => {
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (id: string, approvalsRequired = 1) =>
  wf.createRun(
    id,
    newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 9, approvalsRequired, requester: 'UREQ' }),
  );

describe('the workflow, driven by a scripted driver with no chat adapter', () => {
  it('takes an ad from moods to one delivered video, refusing stale and out-of-turn decisions', async () => {
    start('wf-1', 2);
    let v: RunView = await wf.advance('wf-1');
    expect(v).toMatchObject({ phase: 'moods', working: false });
    expect(v.moods).toHaveLength(3);
    const firstMoods = v.moodsRev;
    // Nothing to approve yet: a storyboard decision now is out of turn.
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'storyboard.approve', rev: 'sb-x' })).toMatchObject({
      ok: false,
      refusal: 'wrong_phase',
    });
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'moods.regenerate', rev: firstMoods })).toMatchObject({
      ok: true,
    });
    // The old cards' Select is stale now (even while the new set is drawn): no board is picked.
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'mood.choose', rev: firstMoods, index: 1 })).toMatchObject(
      {
        ok: false,
        refusal: 'stale',
      },
    );
    v = await wf.advance('wf-1');
    expect(v.moodsRev).not.toBe(firstMoods);
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'mood.choose', rev: firstMoods, index: 1 })).toMatchObject(
      {
        ok: false,
        refusal: 'stale',
      },
    );
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 3 })).toMatchObject(
      {
        ok: false,
        refusal: 'invalid',
      },
    );
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 1 })).toMatchObject(
      {
        ok: true,
      },
    );

    v = await wf.advance('wf-1');
    expect(v).toMatchObject({ phase: 'storyboard', working: false });
    const board = v.storyboard!;
    const firstRev = v.storyboardRev;
    const forged = await wf.decide('wf-1', 'UREQ', {
      kind: 'scene.regenerate',
      rev: firstRev,
      index: board.length,
    });
    expect(forged).toMatchObject({
      ok: false,
      refusal: 'invalid',
      message: expect.stringMatching(/no scene/),
    });
    expect(await wf.decide('wf-1', 'UREQ', { kind: 'storyboard.approve', rev: firstRev })).toMatchObject({
      ok: true,
      approvals: { count: 1, needed: 2, reached: false },
    });
    expect(
      await wf.decide('wf-1', 'UREQ', { kind: 'scene.regenerate', rev: firstRev, index: 1 }),
    ).toMatchObject({
      ok: true,
    });
    v = await wf.advance('wf-1');
    expect(v.storyboardRev).not.toBe(firstRev);
    expect(v.input.approvals).toEqual([]);
    // An approval on the replaced storyboard counts for nothing.
    expect(await wf.decide('wf-1', 'UREVIEW', { kind: 'storyboard.approve', rev: firstRev })).toMatchObject({
      ok: false,
      refusal: 'stale',
    });
    expect((await wf.view('wf-1')).input.approvals).toEqual([]);
    await wf.decide('wf-1', 'UREQ', { kind: 'storyboard.approve', rev: v.storyboardRev });
    const quorum = await wf.decide('wf-1', 'UREVIEW', { kind: 'storyboard.approve', rev: v.storyboardRev });
    expect(quorum).toMatchObject({ ok: true, approvals: { count: 2, reached: true } });
    expect(await wf.view('wf-1')).toMatchObject({ phase: 'render', working: true });

    v = await wf.advance('wf-1');
    expect(v.phase).toBe('done');
    expect(delivery.port.posted).toHaveLength(1);
    expect(v.deliveredMessageId).toBe('msg-1');
    const info = await probeMedia(v.render!.path);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    // Advancing a finished ad does nothing, and nothing is delivered twice.
    await wf.advance('wf-1');
    expect(delivery.port.posted).toHaveLength(1);
    expect((await app.pipeline.get('wf-1')).status).toBe('succeeded');
    const kinds = app.db.$client
      .prepare('select kind, actor from decisions where run_id = ? order by id')
      .all('wf-1');
    expect(kinds.map((k) => (k as { kind: string }).kind)).toEqual([
      'moods.regenerate',
      'mood.choose',
      'storyboard.approve',
      'scene.regenerate',
      'storyboard.approve',
      'storyboard.approve',
    ]);
  });

  it('a cancel while the video is being delivered is refused; a cancel before it means no delivery', async () => {
    start('wf-2');
    let v = await wf.advance('wf-2');
    await wf.decide('wf-2', 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await wf.advance('wf-2');
    await wf.decide('wf-2', 'UREQ', { kind: 'storyboard.approve', rev: v.storyboardRev });
    const started = delivery.holdNext();
    const advancing = wf.advance('wf-2');
    await started;
    expect(await wf.decide('wf-2', 'UREQ', { kind: 'cancel' })).toMatchObject({
      ok: false,
      refusal: 'too_late',
    });
    delivery.release();
    expect((await advancing).phase).toBe('done');

    start('wf-3');
    v = await wf.advance('wf-3');
    await wf.decide('wf-3', 'UREQ', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await wf.advance('wf-3');
    await wf.decide('wf-3', 'UREQ', { kind: 'storyboard.approve', rev: v.storyboardRev });
    const before = delivery.port.posted.length;
    const rendering = wf.advance('wf-3');
    expect(await wf.decide('wf-3', 'UREQ', { kind: 'cancel' })).toMatchObject({ ok: true });
    expect((await rendering).phase).toBe('cancelled');
    await wf.advance('wf-3');
    expect(delivery.port.posted.length).toBe(before);
    expect((await app.pipeline.get('wf-3')).status).toBe('cancelled');
  });

  it('two decisions judged on the same state cannot both be stored', async () => {
    await start('wf-4');
    const seen = (await wf.view('wf-4')).input;
    const store = app.stores.decisions;
    const approve = { kind: 'cancel' } as const;
    // Two writers read the same state; the first one stores its decision...
    expect(await store.record('wf-4', 'A', approve, seen, { ...seen }, 'cancelled')).toBe(true);
    const mood = { kind: 'moods.regenerate', rev: 'm0' } as const;
    // ...so the second one, judged on the old state, is refused by the compare-and-set.
    expect(await store.record('wf-4', 'B', mood, { ...seen, moodsRev: 0 }, { ...seen, moodsRev: 1 })).toBe(
      true,
    );
    expect(await store.record('wf-4', 'C', mood, { ...seen, moodsRev: 0 }, { ...seen, moodsRev: 1 })).toBe(
      false,
    );
    expect((await store.list('wf-4')).map((d) => d.actor)).toEqual(['A', 'B']);
  });
});
