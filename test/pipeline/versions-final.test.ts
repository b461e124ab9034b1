import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { DeliveryPort } from '../../src/pipeline/workflow.ts';
import { executions } from '../helpers/app.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-final-'));
const posted: { path: string; version: number }[] = [];
const delivery: DeliveryPort = {
  async deliver(v, video) {
    posted.push({ path: video.path, version: v.version.n });
    return { messageId: `msg-${posted.length}` };
  },
};
const app = createApp(loadConfig({ ADGEN_DATA_DIR: dir, ADGEN_FORCE_OFFLINE: 'true' }), {
  chatDelivery: delivery,
});
afterAll(() => {
  app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
const wf = app.workflow;

describe('Final quality from a draft', () => {
  it('re-composes the same clips at 1080x1920 as v2 and delivers it once, keeping v1', async () => {
    await wf.createRun('fq', newRunInput(DEMO_BRIEF, { profile: 'draft', seed: 4, requester: 'U1' }));
    let v = await wf.advance('fq');
    await wf.decide('fq', 'U1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await wf.advance('fq');
    await wf.decide('fq', 'U1', { kind: 'storyboard.approve', rev: v.storyboardRev });
    v = await wf.advance('fq');
    expect(v).toMatchObject({ phase: 'done', version: { n: 1, rev: 'v1' } });
    const clipRuns = () =>
      [...executions(app.db, 'fq').entries()]
        .filter(([id]) => id.includes('/clip/'))
        .reduce((n, [, s]) => n + s.executions, 0);
    const clipsBefore = clipRuns();
    const draft = v.render!;

    expect(await wf.decide('fq', 'U1', { kind: 'video.final', rev: 'v1' })).toMatchObject({ ok: true });
    v = await wf.advance('fq');
    expect(v).toMatchObject({
      phase: 'done',
      version: { n: 2, rev: 'v2', what: 'Draft → final', costUsd: 0 },
    });
    expect(clipRuns()).toBe(clipsBefore);
    expect(posted.map((p) => p.version)).toEqual([1, 2]);
    expect((await probeMedia(v.render!.path)).video).toMatchObject({ width: 1080, height: 1920 });
    expect(fs.existsSync(draft.path)).toBe(true);
    expect(v.input.versions).toMatchObject([{ n: 1, what: 'First render' }]);
    // Advancing again (a restart) delivers nothing twice.
    await wf.advance('fq');
    expect(posted).toHaveLength(2);
  }, 400_000);
});
