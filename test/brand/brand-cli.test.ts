import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { runCli } from '../helpers/cli-run.ts';
import { dbQuery } from '../helpers/db-probe.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-brand-cli-'));
const data = path.join(dir, 'data');
const env = { ...process.env, ADGEN_DATA_DIR: data, ADGEN_FORCE_OFFLINE: 'true' };
const write = (name: string, value: unknown) => {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};
const { callToAction: _, ...briefWithoutCta } = DEMO_BRIEF;
const brief = write('brief.json', briefWithoutCta);
const kit = {
  name: 'Brewline',
  logo: 'art/logo.png',
  colours: { primary: '#0b3d2e', secondary: '#f2c14e', text: '#144d3a' },
  font: 'dejavu serif',
  callToAction: 'Start your first box today',
  url: 'brewline.example/start',
};
const sync = (args: string[]) =>
  spawnSync(process.execPath, ['bin/adgen.mjs', ...args], { env, encoding: 'utf8' });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** RGB pixels of one frame. */
function rgbFrame(file: string, t: number): Buffer {
  return execFileSync('ffmpeg', [
    ...[
      '-v',
      'error',
      '-ss',
      String(t),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      '-',
    ],
  ]);
}
const magentaPixels = (rgb: Buffer) => {
  let n = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i]! > 170 && rgb[i + 1]! < 90 && rgb[i + 2]! > 170) n++;
  return n;
};

describe('adgen render --brand FILE.json', () => {
  it('renders with the kit: logo on the end card, brand CTA for a brief without one, contrast note', async () => {
    fs.mkdirSync(path.join(dir, 'art'), { recursive: true });
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=0xff00ff:s=200x100', '-frames:v', '1'],
      path.join(dir, 'art', 'logo.png'),
    ]);
    const brand = write('kit/../brand.json', kit);
    const out = path.join(dir, 'ad.mp4');
    const r = await runCli(
      ['render', '--brief', brief, '--brand', brand, '--out', out, '--profile', 'tiny'],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^brand: The text colour #144d3a is hard to read on #0b3d2e .* uses #[0-9a-f]{6} instead/m,
    );
    const [row] = dbQuery(data)<{ input: string; id: string }>('select id, input from runs');
    const input = JSON.parse(row!.input);
    expect(input.brief.callToAction).toBe(kit.callToAction);
    expect(input.brand).toMatchObject({ name: 'Brewline', font: 'DejaVu Serif', url: kit.url });
    expect(input.brand.logo.path).toMatch(new RegExp(`^${data}/brands/cli/logo-[0-9a-f]{16}\\.png$`));
    const ass = fs.readdirSync(path.join(data, 'runs', row!.id)).find((f) => f.endsWith('.ass'))!;
    const doc = fs.readFileSync(path.join(data, 'runs', row!.id, ass), 'utf8');
    expect(doc).toContain('\\fnDejaVu Serif');
    expect(doc).toContain('brewline.example/start');
    // The magenta logo shows on the end card and nowhere before it.
    expect(magentaPixels(rgbFrame(out, 29))).toBeGreaterThan(60);
    expect(magentaPixels(rgbFrame(out, 10))).toBe(0);
  }, 180_000);

  it('refuses a bad kit in plain words, exit code 2, before any work', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...kit, colours: { primary: 'red' } }, /Primary colour must be a colour like #1a2b3c/],
      [{ ...kit, colors: {} }, /unknown fields: colors/],
      [{ ...kit, font: 'Comic Sans MS' }, /font “Comic Sans MS” is not installed here/],
      [{ ...kit, callToAction: 'x'.repeat(200) }, /Call to action must be at most 120 characters/],
      [{ ...kit, url: 'not a web address' }, /URL must be a web address/],
      [{ ...kit, logo: 'art/logo.svg' }, /logo art\/logo\.svg: That is an SVG/],
      [{ ...kit, logo: 'art/missing.png' }, /cannot read the logo art\/missing\.png/],
      ['{ nope', /not valid JSON/],
    ];
    write('art/logo.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    for (const [value, pattern] of cases) {
      const r = sync([
        'render',
        '--brief',
        brief,
        '--brand',
        write('bad.json', value),
        '--out',
        path.join(dir, 'x.mp4'),
      ]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/invalid_type|"code"|ZodError|\bat \//);
    }
  }, 120_000);
});
