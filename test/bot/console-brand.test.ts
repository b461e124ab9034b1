import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChat } from '../helpers/chat-process.ts';
import { dbQuery } from '../helpers/db-probe.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-chat-brand-'));
const env = { ...process.env, ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' };

describe('/adgen brand in the terminal chat (console adapter)', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sets a kit field by field with a logo, shows it, and a new ad takes its CTA and shows it on the brief', async () => {
    const logo = path.join(dir, 'logo.webp');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'color=orange:s=320x160',
      '-frames:v',
      '1',
      logo,
    ]);
    const svg = path.join(dir, 'logo.svg');
    fs.writeFileSync(svg, '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>');
    const chat = startChat(env);
    try {
      await chat.waitFor(/type your ad idea/);
      const step = async (line: string, expected: RegExp) => {
        const at = chat.output().length;
        chat.type(line);
        await chat.waitFor(expected, at, 20_000);
      };
      await step('/adgen brand', /What is the brand called/);
      await step('skip', /needs a name/);
      await step('Northwind Tea', /Primary colour/);
      await step('#1b4332', /Secondary colour/);
      await step('skip', /Text colour/);
      await step('none', /Font\?/);
      await step('skip', /Default call to action/);
      await step('Taste the first tin free', /Web address/);
      await step('northwind.example', /upload the logo/);
      expect(chat.output()).toMatch(/Brand kit saved/);
      await step(`upload ${svg}`, /That is an SVG[\s\S]*Upload another file, or say `?skip/);
      await step(`upload ${path.join(dir, 'missing.png')}`, /couldn.t download that file/);
      await step(`upload ${logo}`, /Logo added \(320x160\)/);
      await step('/adgen brand show', /Name: Northwind Tea[\s\S]*Logo: 320x160 PNG/);

      await step('/adgen loose-leaf tea by post', /Who is it for/);
      await chat.answer([
        'tea lovers in cities',
        'calm, warm',
        'natural, cosy',
        'Fresh every month; Pause anytime',
      ]);
      await chat.waitFor(/Creative brief/, 0, 20_000);
      const out = chat.output();
      const brief = out.slice(out.lastIndexOf('Creative brief'));
      expect(brief).toMatch(/Call to action: Taste the first tin free/);
      expect(brief).toMatch(/Brand kit: Northwind Tea · #1b4332 · logo · northwind\.example/);
      chat.type(await chat.choice(/Looks good/));
      await chat.waitFor(/Select /, 0, 30_000);
      const [run] = dbQuery(dir)<{ input: string }>('select input from runs');
      const input = JSON.parse(run!.input);
      expect(input.brand).toMatchObject({ name: 'Northwind Tea', colours: { primary: '#1b4332' } });
      expect(input.brand.logo.width).toBe(320);
    } finally {
      await chat.kill();
    }
  }, 120_000);
});
