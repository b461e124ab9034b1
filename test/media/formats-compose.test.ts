import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssDocument } from '../../src/pipeline/media/ass.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import { FORMAT_SPECS, FORMATS, formatProfile } from '../../src/pipeline/media/formats.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { PROFILES, type Profile } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { formatMargins } from '../../src/pipeline/media/safe-zones.ts';
import { layoutTextLayer, type TextLayer } from '../../src/pipeline/media/text-layer.ts';
import { compareFrames, frameAt } from './frames.ts';

let dir = '';
let clips: { path: string; slotS: number }[] = [];
let flat: { path: string; slotS: number }[] = [];

const ffmpeg = (args: string[]) => runBinary('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-formats-'));
  // 9:16 clips as the video models return them (moving test pattern) and flat ones for pixels.
  clips = [0, 1, 2].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 4 }));
  flat = [0, 1, 2].map((i) => ({ path: join(dir, `flat${i}.mp4`), slotS: 4 }));
  const enc = ['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10'];
  await Promise.all([
    ...clips.map((c) => ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=360x640:r=30:d=4.5', ...enc, c.path])),
    ...flat.map((c) =>
      ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x6080a0:s=360x640:r=15:d=4.5', ...enc, c.path]),
    ),
  ]);
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function layerFor(p: Profile, format: (typeof FORMATS)[number]): TextLayer {
  return layoutTextLayer({
    width: p.width,
    height: p.height,
    margins: formatMargins(format),
    crossfadeS: 0.5,
    scenes: [
      { onScreen: 'Stop scrolling.', durationS: 4 },
      { onScreen: 'Cold brew, every week', durationS: 4 },
      { onScreen: 'Order today', durationS: 4 },
    ],
    product: 'Brewline',
    callToAction: 'Order today',
    url: 'brewline.example',
    colours: { panel: '#264653', accent: '#e9c46a' },
  });
}

async function writeLayer(layer: TextLayer, name: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, buildAssDocument(layer), 'utf8');
  return path;
}

describe('every format from the same 9:16 clips (real ffmpeg, tiny profile)', () => {
  for (const format of FORMATS) {
    it(`${format}: the format's size, the profile's fps, the ad's duration, H.264 + AAC`, async () => {
      const profile = formatProfile(PROFILES.tiny, format);
      const assPath = await writeLayer(layerFor(profile, format), `text-${format}.ass`);
      const out = join(dir, `ad.${format}.mp4`);
      await compose({
        clips,
        profile,
        reframe: FORMAT_SPECS[format].reframe,
        textLayer: { assPath },
        outPath: out,
      });
      const info = await probeMedia(out);
      expect(info.video).toMatchObject({ width: profile.width, height: profile.height, codec: 'h264' });
      expect(info.video!.fps).toBeCloseTo(15, 1);
      expect(info.audio?.codec).toBe('aac');
      expect(Math.abs(info.durationS - 12)).toBeLessThan(0.15);
    }, 60_000);
  }
});

describe('16:9 text layer over the blur-pad (flat test clip)', () => {
  // Between tiny and draft, low CRF: text large enough to measure, encoder noise small.
  const base: Profile = { ...PROFILES.tiny, width: 288, height: 512, crf: 14 };
  const profile = formatProfile(base, '16x9');
  const { width: W, height: H } = profile;

  it('changes pixels only inside the text boxes', async () => {
    const layer = layerFor(profile, '16x9');
    const assPath = await writeLayer(layer, 'text-16x9-flat.ass');
    const plain = join(dir, 'plain-16x9.mp4');
    const lettered = join(dir, 'lettered-16x9.mp4');
    await compose({ clips: flat, profile, reframe: 'blur-pad', outPath: plain });
    await compose({ clips: flat, profile, reframe: 'blur-pad', outPath: lettered, textLayer: { assPath } });
    for (const t of [2, 6.5, 11]) {
      const boxes = layer.items.filter((i) => i.startS <= t && t <= i.endS).map((i) => i.box);
      expect(boxes.length, `text at ${t}s`).toBeGreaterThan(0);
      const [a, b] = await Promise.all([frameAt(plain, t, W, H), frameAt(lettered, t, W, H)]);
      const cmp = compareFrames(a, b, W, boxes, 8);
      expect(cmp.maxOutside, `at ${t}s, worst at ${JSON.stringify(cmp.worst)}`).toBeLessThanOrEqual(6);
      expect(cmp.changedInside, `text drawn at ${t}s`).toBeGreaterThan(100);
    }
    // The picture itself sits sharp in the middle; the sides are its darkened copy.
    const frame = await frameAt(plain, 2, W, H);
    const centre = frame[Math.floor(H / 2) * W + Math.floor(W / 2)]!;
    const side = frame[Math.floor(H / 2) * W + 4]!;
    expect(centre - side).toBeGreaterThan(5);
  }, 120_000);
});
