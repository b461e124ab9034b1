import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssDocument, textLayerFilter } from '../../src/pipeline/media/ass.ts';
import { layoutTextLayer } from '../../src/pipeline/media/text-layer.ts';
import { compareFrames, greyFrames } from './frames.ts';

// At the final 1080x1920 size, in every script: libass must paint nothing outside the boxes the
// pure layout reserved (its widths are estimates). No encoder here, so "nothing" is exact.
const W = 1080;
const H = 1920;
const LINES = [
  'Stop scrolling. Your mornings just got better',
  'WWW MMM @@@ %%% WWW MMM',
  'Свежий кофе каждую неделю у двери',
  'Φρέσκος καφές κάθε εβδομάδα στην πόρτα',
  'قهوة باردة طازجة تصل كل أسبوع',
  'קפה קר טרי מגיע בכל שבוע',
  'हर हफ़्ते ताज़ा कोल्ड ब्रू आपके घर',
  '冷萃咖啡每周新鲜送到您家门口',
  '毎週届く新鮮なコールドブリュー',
  '매주 신선한 콜드브루를 집으로',
];

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-bounds-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('text boxes contain what libass draws (1080x1920, every script)', () => {
  for (let k = 0; k < LINES.length; k += 3) {
    it(`variant ${k / 3 + 1}`, async () => {
      const pick = (i: number) => LINES[(k + i) % LINES.length]!;
      const layer = layoutTextLayer({
        width: W,
        height: H,
        crossfadeS: 0.5,
        scenes: [4, 5, 5, 5, 5, 6].map((durationS, i) => ({ onScreen: pick(i), durationS })),
        product: pick(6),
        callToAction: pick(7),
        url: 'https://brewline.example/first-box',
        colours: { panel: '#264653', accent: '#e9c46a' },
      });
      const path = join(dir, `v${k}.ass`);
      await writeFile(path, buildAssDocument(layer), 'utf8');
      // Frames (2 fps) where each item is mid-way and mid-animation (pop and slide at 0.15 s in).
      const moments = layer.items.flatMap((i) => [i.startS + 0.15, (i.startS + i.endS) / 2]);
      const times = [...new Set(moments.map((t) => Math.min(59, Math.round(t * 2))))].sort((a, b) => a - b);
      const select = `select='${times.map((n) => `eq(n\\,${n})`).join('+')}'`;
      const src = ['-f', 'lavfi', '-i', `color=c=0x808080:s=${W}x${H}:r=2:d=30`];
      const frames = await greyFrames(
        [...src, '-vf', `${textLayerFilter(path)},${select}`, '-vsync', '0'],
        W,
        H,
      );
      expect(frames).toHaveLength(times.length);
      const [blank] = await greyFrames([...src, '-frames:v', '1'], W, H);
      frames.forEach((frame, f) => {
        const t = times[f]! / 2;
        const boxes = layer.items.filter((i) => i.startS <= t && t <= i.endS).map((i) => i.box);
        const cmp = compareFrames(blank!, frame, W, boxes);
        expect(cmp.maxOutside, `at ${t}s, worst ${JSON.stringify(cmp.worst)}`).toBe(0);
      });
    }, 60_000);
  }
});
