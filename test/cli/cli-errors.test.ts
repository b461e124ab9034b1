import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cli-'));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bin/adgen.mjs', ...args], {
    env: { ...process.env, ADGEN_DATA_DIR: dir, ADGEN_FORCE_OFFLINE: 'true', ...env },
    encoding: 'utf8',
  });
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};

describe('adgen CLI: bad input gets a clear message and exit code', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/adgen render --brief FILE.json/);
  });

  it('rejects a brief that is not JSON with exit code 2', () => {
    const r = run(['render', '--brief', write('bad.json', '{ nope'), '--out', path.join(dir, 'o.mp4')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not valid JSON/);
  });

  it('names the missing field of a brief', () => {
    const { callToAction: _, ...partial } = DEMO_BRIEF;
    const r = run([
      'render',
      '--brief',
      write('partial.json', JSON.stringify(partial)),
      '--out',
      path.join(dir, 'o.mp4'),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/callToAction/);
  });

  it('explains an unknown run id, profile, option and bad env values', () => {
    const r = run(['resume', 'run-doesnotexist']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no run with id run-doesnotexist/);
    expect(r.stderr).toMatch(/adgen runs/);
    const p = run(['demo', '--profile', 'huge']);
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/unknown profile "huge"/);
    expect(run(['demo', '--frobnicate']).status).toBe(2);
    const e = run(['runs'], { ADGEN_CLIP_CONCURRENCY: 'lots' });
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/ADGEN_CLIP_CONCURRENCY/);
  });

  it('says how to install ffmpeg when it is missing, and keeps the run resumable', () => {
    const brief = write('ok.json', JSON.stringify(DEMO_BRIEF));
    const r = run(['render', '--brief', brief, '--out', path.join(dir, 'o.mp4'), '--profile', 'tiny'], {
      FFMPEG_PATH: path.join(dir, 'no-such-ffmpeg'),
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/apt-get install -y ffmpeg/);
    const list = run(['runs']);
    expect(list.stdout).toMatch(/failed/);
  });
});
