import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { formatProfile } from '../../src/pipeline/media/formats.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runCli } from '../helpers/cli-run.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-cli-formats-'));
const env = { ...process.env, ADGEN_DATA_DIR: dir, ADGEN_FORCE_OFFLINE: 'true' };
const brief = path.join(dir, 'brief.json');
fs.writeFileSync(brief, JSON.stringify(DEMO_BRIEF));

describe('adgen render --formats', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses an unknown format with exit code 2 and the list of known ones, before any work', async () => {
    const out = path.join(dir, 'bad', 'ad.mp4');
    const r = await runCli(['render', '--brief', brief, '--out', out, '--formats', '9x16,3x4'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--formats: unknown format "3x4" \(use some of: 9x16, 4x5, 1x1, 16x9\)/);
    expect(fs.existsSync(path.dirname(out))).toBe(false);
  });

  it('writes <out> for the first format and <stem>.<ratio>.mp4 for each other one', async () => {
    const out = path.join(dir, 'out', 'ad.mp4');
    const r = await runCli(
      ['render', '--brief', brief, '--out', out, '--profile', 'tiny', '--formats', '1x1,9x16,4x5,16x9'],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readdirSync(path.dirname(out)).sort()).toEqual(
      ['ad.16x9.mp4', 'ad.4x5.mp4', 'ad.9x16.mp4', 'ad.mp4'].sort(),
    );
    expect(r.stdout).toContain(`16x9:     ${path.join(dir, 'out', 'ad.16x9.mp4')}`);
    const expected: [string, '1x1' | '9x16' | '4x5' | '16x9'][] = [
      ['ad.mp4', '1x1'],
      ['ad.9x16.mp4', '9x16'],
      ['ad.4x5.mp4', '4x5'],
      ['ad.16x9.mp4', '16x9'],
    ];
    for (const [name, format] of expected) {
      const p = formatProfile(PROFILES.tiny, format);
      const info = await probeMedia(path.join(dir, 'out', name));
      expect(info.video, name).toMatchObject({ width: p.width, height: p.height });
      expect(Math.abs(info.durationS - 30), name).toBeLessThan(0.2);
    }
  }, 300_000);
});
