import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { loadConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import { createOfflineProviders } from '../../src/pipeline/providers/offline/index.ts';
import type { Providers } from '../../src/pipeline/providers/ports.ts';
import { newRunInput } from '../../src/pipeline/run-input.ts';
import type { RunView } from '../../src/pipeline/view.ts';
import { priced } from '../helpers/priced.ts';

/** Offline media at a price: $1 per clip, $0.25 for the music, images free. */
function pricedProviders(): Providers {
  const o = createOfflineProviders();
  return {
    ...o,
    video: priced(o.video, 1),
    music: priced(o.music, 0.25),
  };
}

const EVENING = Date.UTC(2026, 11, 1, 20, 0, 0); // 20:00 UTC: the budget resets in 4 h
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function app(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-spend-'));
  const clock = { ms: EVENING };
  const config = loadConfig({
    ADGEN_DATA_DIR: dir,
    ADGEN_PROFILE: 'tiny',
    ADGEN_FORCE_OFFLINE: 'true',
    ...env,
  });
  const a = createApp(config, { providers: pricedProviders(), now: () => clock.ms });
  cleanups.push(() => {
    a.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { ...a, clock };
}

type App = ReturnType<typeof app>;

/** A driver like the CLI's: first mood, approve, then whatever the run stops at. */
async function drive(a: App, runId: string): Promise<RunView> {
  for (;;) {
    const v = await a.workflow.advance(runId);
    if (v.phase === 'moods' && !v.working)
      await a.workflow.decide(runId, 'U1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    else if (v.phase === 'storyboard' && !v.working)
      await a.workflow.decide(runId, 'U1', { kind: 'storyboard.approve', rev: v.storyboardRev });
    else return v;
  }
}

const start = (a: App, id: string, requester = 'U1', workspace = 'T1') =>
  a.workflow.createRun(id, newRunInput(DEMO_BRIEF, { profile: 'tiny', seed: 3, requester, workspace }));

const clipsMade = (a: App, runId: string) =>
  (
    a.db.$client
      .prepare(
        "select count(*) as n from steps where run_id = ? and step_id like 'scene-%/clip/%/collect' and status = 'succeeded'",
      )
      .get(runId) as { n: number }
  ).n;

describe('spend control before every paid submit', () => {
  it('pauses mid-render when the user budget runs out, keeps what was paid, and continues after midnight', async () => {
    const a = app({ ADGEN_BUDGET_USER_DAILY_USD: '3.5' });
    await start(a, 'run-a');
    let v = await drive(a, 'run-a');
    const scenes = v.storyboard!.length;
    expect(scenes).toBeGreaterThanOrEqual(5);
    // Three $1 clips and the $0.25 music fit in $3.50; the fourth clip would not.
    expect(v).toMatchObject({ phase: 'failed', errorCode: 'budget_exceeded' });
    expect(v.error).toMatch(
      /^Paused before scene \d's clip: your daily budget is \$3\.50 and \$3\.(00|25) of it is spent today/,
    );
    expect(v.error).toContain('It resets at 00:00 UTC (in 4 h 00 min)');
    expect(clipsMade(a, 'run-a')).toBe(3);
    expect(await a.spend.totals({ user: 'U1', workspace: 'T1' })).toMatchObject({ userTodayUsd: 3.25 });

    // Continue on the same day: paused again at once, nothing more paid, nothing made twice.
    expect(await a.workflow.decide('run-a', 'U1', { kind: 'render.continue' })).toMatchObject({ ok: true });
    v = await drive(a, 'run-a');
    expect(v).toMatchObject({ phase: 'failed', errorCode: 'budget_exceeded' });
    expect(clipsMade(a, 'run-a')).toBe(3);

    // After UTC midnight the budget is fresh: Continue makes only the missing clips.
    a.clock.ms = Date.UTC(2026, 11, 2, 0, 1);
    expect(await a.workflow.decide('run-a', 'U1', { kind: 'render.continue' })).toMatchObject({ ok: true });
    v = await drive(a, 'run-a');
    expect(v.phase).toBe('done');
    expect(clipsMade(a, 'run-a')).toBe(scenes);
    expect((await a.spend.totals({ user: 'U1', workspace: 'T1' })).userTodayUsd).toBe(scenes - 3);
    expect((await a.spend.totals({ user: 'U1', workspace: 'T1' })).userMonthUsd).toBe(scenes + 0.25);
  }, 120_000);

  it('counts the workspace budget across people, and refuses Continue on a run that is not paused', async () => {
    const a = app({ ADGEN_BUDGET_WORKSPACE_DAILY_USD: '4' });
    await start(a, 'run-b', 'U2');
    const first = await drive(a, 'run-b');
    expect(first).toMatchObject({ phase: 'failed', errorCode: 'budget_exceeded' });
    expect(first.error).toMatch(/this workspace’s daily budget is \$4\.00/);
    // Someone else in the same workspace is refused at the first paid step; another workspace is not.
    await start(a, 'run-c', 'U3');
    expect(await drive(a, 'run-c')).toMatchObject({ errorCode: 'budget_exceeded' });
    expect(clipsMade(a, 'run-c')).toBe(0);
    // Another workspace has its own $4 for the day.
    await start(a, 'run-d', 'U3', 'T2');
    expect(await drive(a, 'run-d')).toMatchObject({ errorCode: 'budget_exceeded' });
    expect(clipsMade(a, 'run-d')).toBeGreaterThanOrEqual(3);
    expect(await a.spend.totals({ user: 'U3', workspace: 'T2' })).toMatchObject({
      workspaceTodayUsd: expect.any(Number),
    });
    expect((await a.spend.totals({ user: 'U3', workspace: 'T2' })).workspaceTodayUsd).toBeLessThanOrEqual(4);
    expect((await a.spend.totals({ user: 'U2', workspace: 'T1' })).workspaceTodayUsd).toBeLessThanOrEqual(4);
    await start(a, 'run-f', 'U4', 'T3');
    const v = await a.workflow.advance('run-f');
    expect(await a.workflow.decide('run-f', 'U4', { kind: 'render.continue' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not paused/),
    });
    expect(v.phase).toBe('moods');
  }, 120_000);

  it('says whether an estimate fits before anything is pressed', async () => {
    const a = app({ ADGEN_BUDGET_USER_DAILY_USD: '2' });
    await start(a, 'run-e');
    let v = await a.workflow.advance('run-e');
    await a.workflow.decide('run-e', 'U1', { kind: 'mood.choose', rev: v.moodsRev, index: 0 });
    v = await a.workflow.advance('run-e');
    const check = await a.workflow.budgetCheck('run-e');
    expect(check).toMatchObject({
      ok: false,
      message: expect.stringMatching(/your daily budget is \$2\.00 and \$0\.00/),
    });
  }, 60_000);
});
