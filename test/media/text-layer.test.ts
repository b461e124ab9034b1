import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { rectInside, SAFE_MARGINS, safeRect, unionMargins } from '../../src/pipeline/media/safe-zones.ts';
import { fitText, scriptOf, wrapText } from '../../src/pipeline/media/text-fit.ts';
import {
  END_CARD_MAX_S,
  END_CARD_MIN_S,
  inkFor,
  layerInsideSafe,
  layoutTextLayer,
  type TextItem,
  type TextLayerInput,
} from '../../src/pipeline/media/text-layer.ts';

const LINES = [
  'Stop scrolling.',
  'Say hello to Brewline',
  'Smooth, never bitter, delivered every week',
  'Supercalifragilisticexpialidocious-and-then-some words',
  'Привет, свежий кофе каждую неделю',
  'Γειά σου, φρέσκος καφές',
  'قهوة باردة طازجة كل أسبوع',
  'קפה קר טרי כל שבוע',
  'हर हफ़्ते ताज़ा कोल्ड ब्रू',
  '冷萃咖啡每周新鲜送到您家门口',
  '毎週届く新鮮なコールドブリュー',
  '매주 신선한 콜드브루를 집으로',
];

function input(width: number, height: number, over: Partial<TextLayerInput> = {}): TextLayerInput {
  const durations = [4, 5, 5, 5, 5, 6];
  return {
    width,
    height,
    crossfadeS: 0.5,
    scenes: durations.map((durationS, i) => ({ onScreen: LINES[i % LINES.length]!, durationS })),
    product: 'Brewline',
    callToAction: 'Order your first box today',
    url: 'https://brewline.example/first-box',
    colours: { panel: '#264653', accent: '#e9c46a' },
    ...over,
  };
}

const texts = (items: ReturnType<typeof layoutTextLayer>['items']) =>
  items.filter((i): i is TextItem => i.kind === 'text');

describe('safe zones', () => {
  it('is the union of the platforms: the largest margin on each side', () => {
    const u = unionMargins();
    for (const side of ['top', 'bottom', 'left', 'right'] as const) {
      expect(u[side]).toBe(Math.max(...Object.values(SAFE_MARGINS).map((m) => m[side])));
    }
    const r = safeRect(1080, 1920);
    // Reels' bottom 35 % and top 14 %, TikTok's right rail 13 %.
    expect(r).toEqual({ x: 108, y: 269, w: 831, h: 979 });
  });
});

describe('text layer layout (pure)', () => {
  for (const name of ['final', 'draft', 'tiny'] as const) {
    const { width, height } = PROFILES[name];
    it(`keeps every box inside the safe zone at ${width}x${height}, in every script`, () => {
      for (let k = 0; k < LINES.length; k++) {
        const scenes = input(width, height).scenes.map((s, i) => ({
          ...s,
          onScreen: LINES[(i + k) % LINES.length]!,
        }));
        const layer = layoutTextLayer(
          input(width, height, { scenes, product: LINES[k]!, callToAction: LINES[(k + 3) % LINES.length]! }),
        );
        expect(layerInsideSafe(layer)).toBe(true);
        for (const item of layer.items)
          expect(rectInside(item.box, safeRect(width, height)), item.role).toBe(true);
        for (const t of texts(layer.items)) {
          expect(t.lines.length).toBeLessThanOrEqual(t.role === 'url' || t.role === 'product' ? 2 : 2);
          expect(t.fontSize).toBeGreaterThan(0);
        }
      }
    });
  }

  it('shows the hook on scene 1, a line per middle scene and an end card in the last 3-4 s', () => {
    const layer = layoutTextLayer(input(1080, 1920));
    const roles = texts(layer.items).map((t) => t.role);
    expect(roles[0]).toBe('hook');
    expect(roles.filter((r) => r === 'line')).toHaveLength(4);
    expect(roles.slice(-3)).toEqual(['product', 'cta', 'url']);
    expect(layer.endCard.endS).toBe(30);
    expect(30 - layer.endCard.startS).toBeGreaterThanOrEqual(END_CARD_MIN_S);
    expect(30 - layer.endCard.startS).toBeLessThanOrEqual(END_CARD_MAX_S);
    const [hook] = texts(layer.items);
    expect(hook!.startS).toBeLessThan(0.5);
    expect(hook!.endS).toBeLessThanOrEqual(4);
    expect(hook!.anim).toBe('pop');
    // No two scene lines on screen at once; the end card starts after the last of them.
    const lines = texts(layer.items).filter((t) => t.role === 'line' || t.role === 'hook');
    for (let i = 1; i < lines.length; i++)
      expect(lines[i]!.startS).toBeGreaterThanOrEqual(lines[i - 1]!.endS);
    expect(lines.at(-1)!.endS).toBeLessThanOrEqual(layer.endCard.startS);
    expect(rectInside(layer.logoSlot, layer.safe)).toBe(true);
  });

  it('wraps a long line to at most two lines, shrinking then cutting with an ellipsis', () => {
    const long = 'This is a very long line that no planner should write but a person might type anyway';
    const layer = layoutTextLayer(
      input(1080, 1920, {
        scenes: [
          { onScreen: long, durationS: 10 },
          { onScreen: 'x', durationS: 20 },
        ],
      }),
    );
    const hook = texts(layer.items)[0]!;
    expect(hook.lines.length).toBe(2);
    expect(hook.lines[1]!.endsWith('…')).toBe(true);
    const fitted = fitText('Smooth, never bitter, delivered every week', 831, 71, 32);
    expect(fitted.lines.length).toBeLessThanOrEqual(2);
    expect(fitted.widthPx).toBeLessThanOrEqual(831);
  });

  it('breaks CJK between characters and splits an overlong word', () => {
    const zh = wrapText('冷萃咖啡每周新鲜送到', 4);
    expect(zh.length).toBeGreaterThan(1);
    expect(zh.join('')).toBe('冷萃咖啡每周新鲜送到');
    const word = wrapText('Supercalifragilisticexpialidocious', 5);
    expect(word.length).toBeGreaterThan(1);
    expect(word.join('')).toBe('Supercalifragilisticexpialidocious');
  });

  it('chooses a font per script', () => {
    expect(scriptOf('Hello')).toBe('latin');
    expect(scriptOf('Привет')).toBe('latin');
    expect(scriptOf('مرحبا')).toBe('arabic');
    expect(scriptOf('שלום')).toBe('hebrew');
    expect(scriptOf('नमस्ते')).toBe('devanagari');
    expect(scriptOf('你好')).toBe('han');
    expect(scriptOf('こんにちは')).toBe('kana');
    expect(scriptOf('안녕')).toBe('hangul');
    const layer = layoutTextLayer(
      input(1080, 1920, {
        scenes: [
          { onScreen: 'مرحبا', durationS: 10 },
          { onScreen: 'x', durationS: 20 },
        ],
      }),
    );
    expect(texts(layer.items)[0]!.font).toBe('Noto Sans Arabic');
  });

  it('picks readable ink on brand colours', () => {
    expect(inkFor('#e9c46a')).toBe('#000000');
    expect(inkFor('#264653')).toBe('#ffffff');
    const layer = layoutTextLayer(input(1080, 1920));
    const cta = texts(layer.items).find((t) => t.role === 'cta')!;
    expect(cta.backing?.colour).toBe('#e9c46a');
    expect(cta.ink).toBe('#000000');
  });
});
