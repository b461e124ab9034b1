import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { RenderResult } from '../../src/pipeline/steps/render.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-deliver-takeover-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** One worker: the shared database, its own data folder, a delivery that records what it posts. */
function worker(name: string) {
  const delivered: RenderResult[] = [];
  const app = createApp(
    loadConfig({
      ADGEN_DATA_DIR: path.join(root, name),
      ADGEN_DB_PATH: path.join(root, 'shared.db'),
      ADGEN_PROFILE: 'tiny',
      ADGEN_FORCE_OFFLINE: 'true',
    }),
    {
      chatDelivery: {
        async deliver(_view, video) {
          delivered.push(video);
          return { messageId: `msg-${name}` };
        },
      },
    },
  );
  return { app, delivered, dir: path.join(root, name) };
}

const stepRows = (app: ReturnType<typeof createApp>, runId: string) =>
  app.db.$client.prepare('select step_id, executions from steps where run_id = ?').all(runId) as {
    step_id: string;
    executions: number;
  }[];

describe('workers share no disk: the one that posts the video may not be the one that made it', () => {
  it('composes the video again from the stored clips, pays nothing again, and posts it once', async () => {
    const a = worker('a');
    const runId = 'takeover-1';
    await a.app.pipeline.createRun(
      runId,
      newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 7, requester: 'u1' }),
    );
    await a.app.workflow.advanceOnce(runId); // moods
    let v = await a.app.workflow.view(runId);
    expect(
      (await a.app.workflow.decide(runId, 'u1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 })).ok,
    ).toBe(true);
    await a.app.workflow.advanceOnce(runId); // storyboard
    v = await a.app.workflow.view(runId);
    expect(
      (await a.app.workflow.decide(runId, 'u1', { kind: 'storyboard.approve', rev: v.storyboardRev })).ok,
    ).toBe(true);
    v = await a.app.workflow.advanceOnce(runId); // render, then worker a dies before posting
    expect(v.phase).toBe('deliver');
    const made = v.render!;
    expect(made.path.startsWith(a.dir)).toBe(true);
    const before = stepRows(a.app, runId);
    a.app.close();
    fs.rmSync(a.dir, { recursive: true, force: true });

    const b = worker('b');
    v = await b.app.workflow.advanceOnce(runId);
    expect(v.phase).toBe('done');
    expect(b.delivered).toHaveLength(1);
    const posted = b.delivered[0]!;
    expect(posted.path.startsWith(b.dir)).toBe(true);
    const info = await probeMedia(posted.path);
    expect(Math.abs(info.durationS - made.durationS)).toBeLessThan(0.1);
    expect([info.video?.width, info.video?.height]).toEqual([
      made.formats![0]!.width,
      made.formats![0]!.height,
    ]);
    // The render's own record is as worker a stored it; the copy here is its own step.
    expect((await b.app.workflow.view(runId)).render).toEqual(made);
    const after = stepRows(b.app, runId);
    const executions = (rows: typeof before, id: string) => rows.find((r) => r.step_id === id)?.executions;
    // Nothing that was paid for (submits of images, clips, music) ran again.
    for (const r of before.filter((s) => s.step_id.endsWith('/submit')))
      expect(executions(after, r.step_id), r.step_id).toBe(r.executions);
    expect(after.some((s) => s.step_id.endsWith('/here'))).toBe(true);
    // Another advance has nothing left to do: no second post.
    await b.app.workflow.advanceOnce(runId);
    expect(b.delivered).toHaveLength(1);
    b.app.close();
  }, 120_000);
});
