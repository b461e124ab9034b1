import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import type { ProgressEvent } from '../../src/pipeline/progress.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import { chooseMood, executions, tempApp } from '../helpers/app.ts';

describe('the clip count after a restart', () => {
  const runId = 'run-resume-progress';
  let first: ReturnType<typeof tempApp>;
  beforeAll(async () => {
    first = tempApp();
    first.pipeline.createRun(runId, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 7 }));
    await first.pipeline.moodBoards(runId);
    chooseMood(first, runId, 0);
    await first.pipeline.render(runId);
  });
  afterAll(() => first.cleanup());

  it('counts the clips already collected from the first report on', async () => {
    // As if the process died with two clips still to collect: forget their collect steps.
    const clipCollects = [...executions(first.db, runId).keys()].filter((k) =>
      /^scene-\d\/clip\/.*\/collect$/.test(k),
    );
    const total = clipCollects.length;
    expect(total).toBeGreaterThanOrEqual(5);
    const forget = clipCollects.filter((k) => /^scene-[01]\//.test(k));
    expect(forget).toHaveLength(2);
    const del = first.db.$client.prepare('delete from steps where run_id = ? and step_id = ?');
    for (const k of forget) del.run(runId, k);
    first.close();

    const reports: ProgressEvent[] = [];
    const second = tempApp({ ADGEN_DATA_DIR: first.dir }, undefined, { report: (e) => reports.push(e) });
    try {
      await second.pipeline.render(runId);
    } finally {
      second.close();
    }
    const clips = reports.filter((e) => e.stage === 'clips');
    expect(clips[0]).toMatchObject({ clipsDone: total - 2, clipsTotal: total });
    expect(clips.map((e) => e.clipsDone)).toEqual([total - 2, total - 1, total]);
    expect(clips.at(-1)!.message).toBe(`Animating scenes: ${total}/${total} clips ready`);
  });
});
