import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrandKitSchema } from '../../src/pipeline/brand.ts';
import { brandLook } from '../../src/pipeline/brand-look.ts';
import { buildAssDocument } from '../../src/pipeline/media/ass.ts';
import { compose } from '../../src/pipeline/media/compose.ts';
import { buildComposeArgs } from '../../src/pipeline/media/compose-graph.ts';
import { storeLogo } from '../../src/pipeline/media/logo.ts';
import { PROFILES, type Profile } from '../../src/pipeline/media/profiles.ts';
import { layoutTextLayer, type TextLayer } from '../../src/pipeline/media/text-layer.ts';
import { compareFrames, frameAt } from '../media/frames.ts';

const profile: Profile = { ...PROFILES.tiny, width: 288, height: 512, crf: 14 };
const W = profile.width;
const H = profile.height;
const kit = BrandKitSchema.parse({
  name: 'Brewline',
  colours: { primary: '#264653', secondary: '#e9c46a', text: '#2a4a55' },
  font: 'DejaVu Serif',
  url: 'brewline.example',
});

let dir = '';
let clips: { path: string; slotS: number }[] = [];
let layer: TextLayer;
let assPath = '';
let logoPath = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-logo-card-'));
  clips = [0, 1].map((i) => ({ path: join(dir, `flat${i}.mp4`), slotS: 4 }));
  for (const c of clips) {
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x6080a0:s=360x640:r=15:d=4.5'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '10', c.path],
    ]);
  }
  // A real upload path: a transparent-cornered test pattern through the logo validator.
  const raw = join(dir, 'upload.png');
  execFileSync('ffmpeg', [
    ...[
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=s=300x150,format=rgba,geq=r=255:g=255:b=255:a=255*gt(X\\,40)',
    ],
    ...['-frames:v', '1', raw],
  ]);
  const { readFile } = await import('node:fs/promises');
  logoPath = (await storeLogo(await readFile(raw), join(dir, 'brand'))).path;
  const look = brandLook(kit, { panel: '#000000', accent: '#ffffff' });
  layer = layoutTextLayer({
    width: W,
    height: H,
    crossfadeS: 0.5,
    scenes: [
      { onScreen: 'Cold brew, done right', durationS: 4 },
      { onScreen: 'Order today', durationS: 4 },
    ],
    product: 'Brewline',
    callToAction: 'Order today',
    url: look.url,
    colours: look.colours,
    font: look.font,
  });
  assPath = join(dir, 'text.ass');
  await writeFile(assPath, buildAssDocument(layer), 'utf8');
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('end card with the brand kit (real ffmpeg, one pass)', () => {
  it('uses the brand font for Latin words and readable brand colours', () => {
    const doc = buildAssDocument(layer);
    expect(doc).toContain('\\fnDejaVu Serif');
    const look = brandLook(kit, { panel: '#000000', accent: '#ffffff' });
    // #2a4a55 on #264653 is unreadable (about 1.1:1): adjusted, and said in one line.
    expect(look.colours.text).not.toBe('#2a4a55');
    expect(look.notes).toHaveLength(1);
    expect(look.notes[0]).toMatch(/text colour #2a4a55 is hard to read on #264653/);
  });

  it('draws the logo in its slot during the end card only, in the same single pass', async () => {
    const logo = {
      path: logoPath,
      box: layer.logoSlot,
      startS: layer.endCard.startS,
      endS: layer.endCard.endS,
    };
    const args = buildComposeArgs({
      clips,
      profile,
      outPath: join(dir, 'x.mp4'),
      textLayer: { assPath },
      logo,
    });
    expect(args.filter((a) => a === '-filter_complex')).toHaveLength(1);
    expect(args[args.indexOf(logoPath) - 1]).toBe('-i');
    const without = join(dir, 'without.mp4');
    const withLogo = join(dir, 'with.mp4');
    await compose({ clips, profile, outPath: without, textLayer: { assPath } });
    await compose({ clips, profile, outPath: withLogo, textLayer: { assPath }, logo });
    expect(layer.logoSlot.w).toBeGreaterThan(20);
    const t = layer.endCard.startS + 1.5;
    const [a, b] = await Promise.all([frameAt(without, t, W, H), frameAt(withLogo, t, W, H)]);
    const cmp = compareFrames(a, b, W, [layer.logoSlot], 8);
    expect(cmp.changedInside, 'logo pixels in the slot').toBeGreaterThan(200);
    expect(cmp.maxOutside, `outside the slot, worst at ${JSON.stringify(cmp.worst)}`).toBeLessThanOrEqual(6);
    // Before the end card, the two renders are the same picture.
    const [c, d] = await Promise.all([frameAt(without, 2, W, H), frameAt(withLogo, 2, W, H)]);
    expect(compareFrames(c, d, W, []).maxOutside).toBeLessThanOrEqual(6);
  }, 120_000);
});
