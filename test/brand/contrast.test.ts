import { describe, expect, it } from 'vitest';
import {
  contrastNote,
  contrastRatio,
  legibleOn,
  MIN_TEXT_CONTRAST,
  mix,
} from '../../src/pipeline/media/contrast.ts';

describe('WCAG contrast adjustment (pure)', () => {
  it('measures contrast as WCAG defines it', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // WCAG's own reference pair: #777777 on white is 4.48:1, just short of AA.
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });

  it('keeps a readable brand colour as it is', () => {
    expect(legibleOn('#1a2b3c', '#f5f5dc')).toMatchObject({ colour: '#f5f5dc', adjusted: false });
  });

  it('darkens or lightens a failing colour just enough, keeping its hue where it can', () => {
    const onLight = legibleOn('#f0f0f0', '#ffcc00');
    expect(onLight.adjusted).toBe(true);
    expect(onLight.before).toBeLessThan(MIN_TEXT_CONTRAST);
    expect(onLight.after).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(contrastRatio('#f0f0f0', onLight.colour)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(onLight.colour.slice(i, i + 2), 16));
    expect(r! > b! && g! > b!).toBe(true); // still a yellow-brown, not black
    const onDark = legibleOn('#202020', '#303060');
    expect(onDark.after).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    expect(onDark.colour > '#303060').toBe(true);
  });

  it('reaches 4.5:1 on every background, mid grey included', () => {
    for (const bg of ['#777777', '#808080', '#ff0000', '#00ff00', '#0000ff', '#7f7f00']) {
      expect(legibleOn(bg, bg).after).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
    }
  });

  it('says what changed in one line', () => {
    const note = contrastNote('Text colour', '#888888', '#999999', legibleOn('#888888', '#999999'));
    expect(note).not.toContain('\n');
    expect(note).toMatch(
      /^Text colour #999999 is hard to read on #888888 \(1\.\d:1\); the end card uses #[0-9a-f]{6}/,
    );
  });
});

describe('caption style from the brand kit (for the captions change)', () => {
  it('uses the brand font and colours, kept readable on the caption box', async () => {
    const { captionStyle } = await import('../../src/pipeline/brand-look.ts');
    const { BrandKitSchema } = await import('../../src/pipeline/brand.ts');
    expect(captionStyle(null)).toEqual({
      font: 'Noto Sans',
      ink: '#ffffff',
      box: '#000000',
      highlight: '#ffd60a',
    });
    const kit = BrandKitSchema.parse({
      name: 'B',
      font: 'DejaVu Serif',
      colours: { primary: '#0b3d2e', secondary: '#101010', text: '#f5f5dc' },
    });
    const style = captionStyle(kit);
    expect(style).toMatchObject({ font: 'DejaVu Serif', ink: '#f5f5dc' });
    expect(contrastRatio(style.box, style.highlight)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST);
  });
});
