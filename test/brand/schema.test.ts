import { describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { BrandKitSchema, brandHint, brandScope, describeBrandIssues } from '../../src/pipeline/brand.ts';
import { checkFont } from '../../src/pipeline/brand-check.ts';
import { installedFontFamilies, matchFamily, parseFamilies } from '../../src/pipeline/media/fonts.ts';
import { newRunInput, RunInputSchema } from '../../src/pipeline/run-input.ts';

const issues = (value: unknown) => {
  const r = BrandKitSchema.safeParse(value);
  return r.success ? '' : describeBrandIssues(r.error);
};

describe('brand kit schema', () => {
  it('normalises colours and fills defaults', () => {
    const kit = BrandKitSchema.parse({ name: ' Brewline ', colours: { primary: '#ABC' } });
    expect(kit).toEqual({
      name: 'Brewline',
      logo: null,
      colours: { primary: '#aabbcc', secondary: null, text: null },
      font: null,
      callToAction: null,
      url: null,
    });
    expect(brandHint(kit)).toEqual({ name: 'Brewline', colours: ['#aabbcc'] });
    expect(brandHint(null)).toBeNull();
  });

  it('explains every bad field in plain words', () => {
    expect(issues({ name: '' })).toBe('Brand name must not be empty');
    expect(issues({ name: 'B', colours: { text: 'blue' } })).toBe(
      'Text colour must be a colour like #1a2b3c',
    );
    expect(issues({ name: 'B', url: 'javascript:alert(1)' })).toMatch(/^URL must be a web address/);
    expect(issues({ name: 'B', callToAction: 'x'.repeat(200) })).toMatch(
      /^Call to action must be at most 120/,
    );
    expect(issues({ name: 42 })).toBe('Brand name has the wrong kind of value (text expected)');
    expect(issues('nope')).toBe('The brand kit must be a JSON object');
    expect(issues({ name: 'B', logo: { path: '/x.png' } })).toMatch(/^Logo /);
  });

  it('scopes a kit to a Slack workspace+channel, a Discord guild, or the console', () => {
    expect(brandScope('slack', { team: 'T1', channel: 'C1' })).toBe('slack:T1:C1');
    expect(brandScope('slack', { team: 'T2', channel: 'C1' })).not.toBe(
      brandScope('slack', { team: 'T1', channel: 'C1' }),
    );
    expect(brandScope('discord', { guild: 'G1', channel: 'X' })).toBe('discord:G1');
    expect(brandScope('console', {})).toBe('console:local');
  });

  it('runs without a kit keep reading (brand defaults to null), runs with one carry a copy', () => {
    const input = newRunInput(DEMO_BRIEF, { seed: 1 });
    const { brand: _b, ...old } = input;
    expect(RunInputSchema.parse(old).brand).toBeNull();
    const kit = BrandKitSchema.parse({ name: 'B' });
    const withKit = newRunInput(DEMO_BRIEF, { seed: 1, brand: kit });
    kit.name = 'changed';
    expect(withKit.brand?.name).toBe('B');
  });
});

describe('fonts', () => {
  it('parses fc-list families (escaped commas, aliases) and matches loosely', () => {
    const families = parseFamilies('DejaVu Sans,DejaVu Sans Condensed\nNoto Sans\nOdd\\, Inc Font\n\n');
    expect(families).toEqual(['DejaVu Sans', 'DejaVu Sans Condensed', 'Noto Sans', 'Odd, Inc Font']);
    expect(matchFamily('dejavu-sans', families)).toBe('DejaVu Sans');
    expect(matchFamily('Helvetica', families)).toBeNull();
  });

  it('checks a font against what fontconfig really has installed', async () => {
    const installed = await installedFontFamilies();
    expect(installed).toContain('Noto Sans');
    expect(await checkFont('noto sans', installed)).toEqual({ ok: true, family: 'Noto Sans' });
    const missing = await checkFont('Noto Nonexistent', installed);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.message).toMatch(/not installed here; installed families include Noto/);
  });
});
