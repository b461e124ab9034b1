import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildVideoGraph, type ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { type LogoOverlay, logoOverlayChain } from '../../src/pipeline/media/logo-overlay.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { greyFrames } from './frames.ts';

const box = { x: 40, y: 60, w: 64, h: 64 };
const logo = (startS: number, endS: number): LogoOverlay => ({ path: '/l.png', box, startS, endS });

describe('logoOverlayChain (pure)', () => {
  it('overlays only the end card: the chain is cut at its start and joined again', () => {
    const g = logoOverlayChain('[vtext]', 9, logo(26, 30), 30, '[vout]', 30);
    expect(g).toContain('[vtext]split=2[lgsbefore][lgscard]');
    expect(g).toContain('[lgsbefore]trim=end=26,setpts=PTS-STARTPTS[lgbefore]');
    expect(g).toContain('[lgscard]trim=start=26,setpts=PTS-STARTPTS[lgcard]');
    // The fade starts with the card's piece (its time 0), as it started at 26 s before.
    expect(g).toContain('[9:v:0]scale=64:64:force_original_aspect_ratio=decrease,format=rgba,');
    expect(g).toContain('fps=30,fade=t=in:st=0:d=0.25:alpha=1[logo]');
    expect(g).toContain('[lgcard][logo]overlay=x=40+(64-overlay_w)/2:y=60+(64-overlay_h)/2:shortest=1[lgon]');
    expect(g).not.toContain('enable=');
    expect(g).toMatch(/\[lgbefore\]\[lgon\]concat=n=2:v=1:a=0\[vout\]$/);
  });

  it('cuts three pieces for a card that ends before the ad, none for a logo over all of it', () => {
    const mid = logoOverlayChain('[a]', 3, logo(10, 14), 30, '[b]', 30);
    expect(mid).toContain('[a]split=3[lgsbefore][lgscard][lgsafter]');
    expect(mid).toContain('[lgscard]trim=start=10:end=14,');
    expect(mid).toContain('[lgbefore][lgon][lgafter]concat=n=3:v=1:a=0[b]');
    const all = logoOverlayChain('[a]', 3, logo(0, 30), 30, '[b]', 30);
    expect(all).not.toContain('split');
    expect(all).not.toContain('concat');
    expect(all).toMatch(/overlay=[^;]*shortest=1\[b\]$/);
  });
});

// Real ffmpeg: a flat clip, a logo on its last second.
let dir = '';
let input: ComposeInput;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-logo-overlay-'));
  const ff = (args: string[]) =>
    runBinary('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-v', 'error', ...args]);
  await ff([
    '-f',
    'lavfi',
    '-i',
    'color=c=0x6080a0:s=144x256:r=15:d=3',
    '-c:v',
    'libx264',
    '-crf',
    '0',
    join(dir, 'c.mp4'),
  ]);
  await ff(['-f', 'lavfi', '-i', 'color=c=white:s=64x64', '-frames:v', '1', join(dir, 'logo.png')]);
  input = {
    clips: [{ path: join(dir, 'c.mp4'), slotS: 3 }],
    profile: PROFILES.tiny,
    outPath: join(dir, 'o.mp4'),
    logo: { path: join(dir, 'logo.png'), box, startS: 2, endS: 3 },
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the logo on the end card (real ffmpeg)', () => {
  it('leaves every frame before the card as it was and draws the logo, faded in, on the card', async () => {
    const { width: w, height: h } = PROFILES.tiny;
    // Inputs: the clip at 0, the music (unused here) would be at 1, the logo at 2.
    const run = (graph: string, logoIn: boolean) =>
      greyFrames(
        [
          ...['-i', input.clips[0]!.path, '-f', 'lavfi', '-i', 'anullsrc'],
          ...(logoIn ? ['-i', input.logo!.path] : []),
          ...['-filter_complex', graph, '-map', '[vout]'],
        ],
        w,
        h,
      );
    const [withLogo, without] = await Promise.all([
      run(buildVideoGraph(input), true),
      run(buildVideoGraph({ ...input, logo: undefined }), false),
    ]);
    expect(withLogo).toHaveLength(45);
    expect(without).toHaveLength(45);
    for (let i = 0; i < 30; i++) expect(withLogo[i]!.equals(without[i]!)).toBe(true);
    const centre = (f: Buffer) => f[(box.y + 32) * w + box.x + 32]!;
    const flat = centre(without[40]!);
    // 0.25 s fade at 15 fps: part-way on the card's second frame, fully white from the fifth on.
    expect(centre(withLogo[31]!)).toBeGreaterThan(flat + 5);
    expect(centre(withLogo[31]!)).toBeLessThan(250);
    expect(centre(withLogo[40]!)).toBeGreaterThan(250);
    expect(withLogo[40]![0]).toBe(without[40]![0]);
  });
});
