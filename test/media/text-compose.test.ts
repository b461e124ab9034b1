import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssDocument, textLayerFilter } from '../../src/pipeline/media/ass.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import { PROFILES, type Profile } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { layoutTextLayer, type TextLayer } from '../../src/pipeline/media/text-layer.ts';
import { compareFrames, frameAt, greyFrames } from './frames.ts';

// A flat clip makes "unchanged outside the boxes" exact up to encoder noise. Low CRF keeps that
// noise small; the size is between tiny and draft so the text is large enough to measure.
const profile: Profile = { ...PROFILES.tiny, width: 288, height: 512, crf: 14 };
const W = profile.width;
const H = profile.height;
const HOSTILE = '{\\fs200}{\\p1}m 0 0 l 200 0 200 200 0 200{\\p0}';

let dir = '';
let clips: { path: string; slotS: number }[] = [];
let layer: TextLayer;
let assPath = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-textc-'));
  clips = [0, 1, 2].map((i) => ({ path: join(dir, `flat${i}.mp4`), slotS: 4 }));
  await Promise.all(
    clips.map((c) =>
      runBinary('ffmpeg', [
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'color=c=0x6080a0:s=360x640:r=15:d=4.5',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-crf',
        '10',
        c.path,
      ]),
    ),
  );
  layer = layoutTextLayer({
    width: W,
    height: H,
    crossfadeS: 0.5,
    scenes: [
      { onScreen: HOSTILE, durationS: 4 },
      { onScreen: "a\\Nb\\h %{localtime} : 'quoted' مرحبا", durationS: 4 },
      { onScreen: 'Order today', durationS: 4 },
    ],
    product: 'Brewline 你好',
    callToAction: 'Order today',
    url: 'brewline.example',
    colours: { panel: '#264653', accent: '#e9c46a' },
  });
  assPath = join(dir, 'text.ass');
  await writeFile(assPath, buildAssDocument(layer), 'utf8');
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const activeBoxes = (t: number) => layer.items.filter((i) => i.startS <= t && t <= i.endS).map((i) => i.box);

describe('text layer inside the one compose pass (real ffmpeg)', () => {
  it('changes pixels only inside the text boxes, and draws markup literally', async () => {
    const plain = join(dir, 'plain.mp4');
    const lettered = join(dir, 'lettered.mp4');
    await compose({ clips, profile, outPath: plain });
    await compose({ clips, profile, outPath: lettered, textLayer: { assPath } });
    // Mid hook (markup that would draw a 200 px square), mid line 2, and on the end card.
    for (const t of [2, 6.5, 11]) {
      const boxes = activeBoxes(t);
      expect(boxes.length, `text at ${t}s`).toBeGreaterThan(0);
      const [a, b] = await Promise.all([frameAt(plain, t, W, H), frameAt(lettered, t, W, H)]);
      // Half a macroblock of padding: x264 blocks straddling a box edge carry its ringing.
      const cmp = compareFrames(a, b, W, boxes, 8);
      expect(cmp.maxOutside, `at ${t}s, worst at ${JSON.stringify(cmp.worst)}`).toBeLessThanOrEqual(6);
      expect(cmp.changedInside, `text drawn at ${t}s`).toBeGreaterThan(100);
    }
  }, 120_000);

  it('the check fails when markup is interpreted (the same line without escaping)', async () => {
    const hook = layer.items.find((i) => i.kind === 'text' && i.role === 'hook')!;
    // Undo escapeAssText everywhere: the braces open override blocks again.
    const raw = buildAssDocument(layer)
      .replace(/\\([{}])/g, '$1')
      .replaceAll('\\\u2060', '\\');
    expect(raw).toContain('{\\p1}m 0 0');
    const rawPath = join(dir, 'raw.ass');
    await writeFile(rawPath, raw, 'utf8');
    const src = ['-f', 'lavfi', '-i', `color=c=0x6080a0:s=${W}x${H}:r=1:d=3`];
    const [plain] = await greyFrames([...src, '-ss', '2', '-frames:v', '1'], W, H);
    const [escaped] = await greyFrames(
      [...src, '-vf', textLayerFilter(assPath), '-ss', '2', '-frames:v', '1'],
      W,
      H,
    );
    const [interpreted] = await greyFrames(
      [...src, '-vf', textLayerFilter(rawPath), '-ss', '2', '-frames:v', '1'],
      W,
      H,
    );
    expect(compareFrames(plain!, escaped!, W, [hook.box]).maxOutside).toBe(0);
    expect(compareFrames(plain!, interpreted!, W, [hook.box]).maxOutside).toBeGreaterThan(40);
  });
});
