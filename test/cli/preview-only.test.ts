import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { runCli } from '../helpers/cli-run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cli-preview-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('adgen render --preview-only', () => {
  it('writes the free animatic of the storyboard and renders no video', async () => {
    const brief = path.join(dir, 'brief.json');
    fs.writeFileSync(brief, JSON.stringify(DEMO_BRIEF));
    const out = path.join(dir, 'out', 'preview.mp4');
    const env = {
      ...process.env,
      ADGEN_DATA_DIR: path.join(dir, 'data'),
      ADGEN_PROFILE: 'tiny',
      ADGEN_FORCE_OFFLINE: 'true',
    };
    const r = await runCli(['render', '--brief', brief, '--preview-only', out], env);
    expect(r.stderr).not.toMatch(/adgen: /);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/made in: +\d+\.\d+ s from the storyboard/);
    const info = await probeMedia(out);
    expect(info.video).toMatchObject({ width: 360, height: 640 });
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
    // Nothing was composed: no ad video exists in the run's folder.
    const files = fs.readdirSync(path.join(dir, 'data', 'runs'), { recursive: true }).map(String);
    expect(files.some((f) => /ad-\w+-\w+\.mp4$/.test(f))).toBe(false);
    // The run is the machine user's (spend control's per-user budget), not one shared `cli`.
    const db = new Database(path.join(dir, 'data', 'adgen.db'), { readonly: true });
    const row = db.prepare('select input from runs').get() as { input: string };
    db.close();
    expect(JSON.parse(row.input).requester).toBe(`cli:${os.userInfo().username}`);
  }, 120_000);
});
