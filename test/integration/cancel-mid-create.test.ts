import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { startFakes } from '../helpers/fakes.ts';

const isClip = (p: { model: string }) => p.model.includes('seedance');

/**
 * A cancel lands while clip creates are on the wire: Replicate has made (and bills) those
 * predictions, but their ids have not reached us. Aborting the requests used to hide them: paid,
 * never recorded, left running. Now each is let finish, recorded with its cost, and cancelled.
 */
describe('cancel while prediction creates are in flight (real replicate client)', () => {
  let fakes: Awaited<ReturnType<typeof startFakes>>;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cancel-create-'));
  beforeAll(async () => {
    // Clips take 20 s to make, so a prediction cancelled after its create answers is still live.
    fakes = await startFakes({ latencyMs: { image: 30, video: 20_000, audio: 20_000 } });
  });
  afterAll(async () => {
    await fakes.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records every prediction the provider made and cancels the live ones', async () => {
    const app = createApp(loadConfig({ ...fakes.env, ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny' }));
    try {
      const runId = 'cancel-mid-create';
      await app.pipeline.createRun(
        runId,
        newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3, requester: 'u1' }),
      );
      await app.workflow.advanceOnce(runId);
      let v = await app.workflow.view(runId);
      await app.workflow.decide(runId, 'u1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
      await app.workflow.advanceOnce(runId);
      v = await app.workflow.view(runId);
      await app.workflow.decide(runId, 'u1', { kind: 'storyboard.approve', rev: v.storyboardRev });

      fakes.replicate.late.add({ match: isClip, holdMs: 1500 });
      const rendering = app.workflow.advanceOnce(runId).catch((err: unknown) => err);
      const end = Date.now() + 60_000;
      while (fakes.replicate.late.inFlight() < 2) {
        if (Date.now() > end) throw new Error('clip creates never went in flight');
        await new Promise((r) => setTimeout(r, 10));
      }
      const heldAtCancel = fakes.replicate.late.inFlight();
      expect((await app.workflow.decide(runId, 'u1', { kind: 'cancel' })).ok).toBe(true);
      await rendering;
      // Let the held answers arrive and the cancels go out.
      const settle = Date.now() + 10_000;
      while (fakes.replicate.late.inFlight() > 0 && Date.now() < settle)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300));

      const recorded = app.db.$client
        .prepare('select provider_id as id, cost_usd as cost from predictions where run_id = ?')
        .all(runId) as { id: string; cost: number }[];
      const made = [...fakes.replicate.predictions.keys()];
      console.log(
        `cancel mid-create: held at cancel=${heldAtCancel} made=${made.length} recorded=${recorded.length}`,
      );
      expect(heldAtCancel).toBeGreaterThanOrEqual(2);
      // Every prediction the provider made is on record, none twice, with its cost.
      expect(new Set(recorded.map((r) => r.id))).toEqual(new Set(made));
      expect(recorded).toHaveLength(made.length);
      const clips = made.filter((id) => isClip(fakes.replicate.predictions.get(id)!));
      expect(clips.length).toBeGreaterThanOrEqual(heldAtCancel);
      expect(recorded.filter((r) => clips.includes(r.id)).every((r) => r.cost > 0)).toBe(true);
      // None is left running (billing) at the provider.
      const live = made.filter((id) =>
        ['starting', 'processing'].includes(fakes.replicate.statusOf(id) ?? ''),
      );
      expect(live).toEqual([]);
      expect((await app.workflow.view(runId)).phase).toBe('cancelled');
    } finally {
      app.close();
    }
  }, 120_000);
});
