import { describe, expect, it } from 'vitest';
import { buildFilterGraph } from '../../src/pipeline/media/compose-graph.ts';
import {
  clipFrame,
  FORMAT_SPECS,
  FORMATS,
  formatFilePath,
  formatProfile,
  parseFormatList,
} from '../../src/pipeline/media/formats.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { formatMargins, rectInside, safeRect, unionMargins } from '../../src/pipeline/media/safe-zones.ts';
import { layerInsideSafe, layoutTextLayer, type TextItem } from '../../src/pipeline/media/text-layer.ts';

const LINES = [
  'Stop scrolling.',
  'Smooth, never bitter, delivered every week',
  'Supercalifragilisticexpialidocious-and-then-some words',
  'Привет, свежий кофе каждую неделю',
  'قهوة باردة طازجة كل أسبوع',
  'קפה קר טרי כל שבוע',
  'हर हफ़्ते ताज़ा कोल्ड ब्रू',
  '冷萃咖啡每周新鲜送到您家门口',
  '매주 신선한 콜드브루를 집으로',
];

describe('format profiles', () => {
  it('final sizes are 1080x1920, 1080x1350, 1080x1080 and 1920x1080; drafts and tiny scale alike', () => {
    const sizes = (name: keyof typeof PROFILES) =>
      FORMATS.map((f) => {
        const p = formatProfile(PROFILES[name], f);
        return `${p.width}x${p.height}@${p.fps}`;
      });
    expect(sizes('final')).toEqual(['1080x1920@30', '1080x1350@30', '1080x1080@30', '1920x1080@30']);
    expect(sizes('draft')).toEqual(['720x1280@30', '720x900@30', '720x720@30', '1280x720@30']);
    expect(sizes('tiny')).toEqual(['144x256@15', '144x180@15', '144x144@15', '256x144@15']);
    // Codec settings stay the profile's: the quality contract does not change per format.
    expect(formatProfile(PROFILES.final, '16x9')).toMatchObject({ preset: 'medium', crf: 21, name: 'final' });
  });

  it('16:9 puts the whole 9:16 picture at full height over a blurred copy; the others crop', () => {
    expect(FORMAT_SPECS['16x9'].reframe).toBe('blur-pad');
    expect(FORMATS.filter((f) => FORMAT_SPECS[f].reframe === 'crop')).toEqual(['9x16', '4x5', '1x1']);
    expect(clipFrame(formatProfile(PROFILES.final, '16x9'), 'blur-pad')).toEqual({
      width: 608,
      height: 1080,
    });
  });

  it('names the other files <stem>.<ratio>.mp4 and parses --formats strictly', () => {
    expect(formatFilePath('/x/out/ad.mp4', '1x1')).toBe('/x/out/ad.1x1.mp4');
    expect(formatFilePath('/x/out/ad', '16x9')).toBe('/x/out/ad.16x9.mp4');
    expect(formatFilePath('/x/my.ad.mov', '4x5')).toBe('/x/my.ad.4x5.mov');
    expect(parseFormatList('9x16,4x5, 1x1,16x9')).toEqual(['9x16', '4x5', '1x1', '16x9']);
    expect(parseFormatList('1x1,1x1')).toEqual(['1x1']);
    expect(parseFormatList('9x16,3x4')).toMatch(/unknown format "3x4" \(use some of: 9x16, 4x5, 1x1, 16x9\)/);
    expect(parseFormatList(' , ')).toMatch(/no format given/);
  });
});

describe('safe zones per format (pure layout)', () => {
  it('9:16 keeps the union of TikTok, Reels and Shorts; 16:9 leaves YouTube its lower 20 %', () => {
    expect(formatMargins('9x16')).toEqual(unionMargins());
    expect(formatMargins('16x9')).toEqual({ top: 0.1, bottom: 0.2, left: 0.08, right: 0.08 });
    // 4:5: the feed's 6 % sides and the profile grid's centre square (10 % off top and bottom).
    expect(formatMargins('4x5')).toEqual({ top: 0.1, bottom: 0.1, left: 0.06, right: 0.06 });
  });

  for (const name of ['final', 'draft', 'tiny'] as const) {
    for (const format of FORMATS) {
      it(`every text box and the logo slot lie inside the ${format} safe zone at ${name}`, () => {
        const p = formatProfile(PROFILES[name], format);
        const safe = safeRect(p.width, p.height, formatMargins(format));
        for (let k = 0; k < LINES.length; k++) {
          const layer = layoutTextLayer({
            width: p.width,
            height: p.height,
            margins: formatMargins(format),
            crossfadeS: 0.5,
            scenes: [4, 5, 5, 5, 5, 6].map((durationS, i) => ({
              onScreen: LINES[(i + k) % LINES.length]!,
              durationS,
            })),
            product: LINES[k]!,
            callToAction: LINES[(k + 2) % LINES.length]!,
            url: 'https://brewline.example/first-box',
          });
          expect(layer.safe).toEqual(safe);
          expect(layerInsideSafe(layer)).toBe(true);
          for (const item of layer.items) expect(rectInside(item.box, safe), `${item.role}`).toBe(true);
          const texts = layer.items.filter((i): i is TextItem => i.kind === 'text');
          expect(texts.map((t) => t.role)).toEqual(expect.arrayContaining(['hook', 'product', 'cta']));
        }
      });
    }
  }

  it('type is sized by the short side: 16:9 text is no larger than on 9:16', () => {
    const hook = (format: (typeof FORMATS)[number]) => {
      const p = formatProfile(PROFILES.final, format);
      const layer = layoutTextLayer({
        width: p.width,
        height: p.height,
        margins: formatMargins(format),
        crossfadeS: 0.5,
        scenes: [
          { onScreen: 'Stop scrolling.', durationS: 5 },
          { onScreen: 'Order now', durationS: 5 },
        ],
        product: 'Brewline',
        callToAction: 'Order now',
      });
      return layer.items.find((i): i is TextItem => i.kind === 'text' && i.role === 'hook')!;
    };
    expect(hook('16x9').fontSize).toBeLessThanOrEqual(hook('9x16').fontSize);
    expect(hook('16x9').fontSize).toBeGreaterThan(hook('9x16').fontSize * 0.8);
  });
});

describe('compose graph per format', () => {
  const clips = [4, 4, 4].map((slotS, i) => ({ path: `/c/${i}.mp4`, slotS }));
  it('16:9: clips normalised at 608x1080, one blur at 1/8 size, overlay, then the words once', () => {
    const profile = formatProfile(PROFILES.final, '16x9');
    const g = buildFilterGraph({
      clips,
      profile,
      reframe: 'blur-pad',
      outPath: '/o.mp4',
      textLayer: { assPath: '/t.ass' },
    });
    expect(
      g.match(/crop=w='trunc\(min\(iw,ih\*608\/1080\)\/2\)\*2':h='[^']+',scale=608:1080,/g),
    ).toHaveLength(3);
    expect(g.match(/boxblur/g)).toHaveLength(1);
    expect(g).toContain('scale=240:136:force_original_aspect_ratio=increase,crop=240:136,boxblur');
    expect(g.match(/ass=filename/g)).toHaveLength(1);
    // Order: crossfades, then the reframe, then the text layer on the 1920x1080 frame.
    const at = (s: string) => g.indexOf(s);
    expect(at('xfade')).toBeLessThan(at('split=2[bgsrc]'));
    expect(at('concat=')).toBeLessThan(at('split=2[bgsrc]'));
    expect(at('overlay=x=656:y=0')).toBeGreaterThan(at('boxblur'));
    expect(at('overlay=')).toBeLessThan(at('ass=filename'));
    expect(g).toMatch(/\[vclips\]ass=filename=\/t\.ass:shaping=complex\[vout\]/);
  });

  it('4:5 and 1:1 crop each clip straight to the frame (no blur, no overlay)', () => {
    for (const f of ['4x5', '1x1'] as const) {
      const p = formatProfile(PROFILES.final, f);
      const g = buildFilterGraph({ clips, profile: p, reframe: 'crop', outPath: '/o.mp4' });
      expect(g).toContain(
        `crop=w='trunc(min(iw,ih*${p.width}/${p.height})/2)*2':h='trunc(min(ih,iw*${p.height}/${p.width})/2)*2',scale=${p.width}:${p.height},`,
      );
      expect(g).not.toMatch(/boxblur|overlay/);
    }
  });
});
