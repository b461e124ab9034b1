import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssDocument, textLayerFilter } from '../../src/pipeline/media/ass.ts';
import { FONT_BY_SCRIPT, scriptOf } from '../../src/pipeline/media/text-fit.ts';
import type { TextItem, TextLayer } from '../../src/pipeline/media/text-layer.ts';
import { differingPixels, greyFrames, inkBounds } from './frames.ts';

// Every script the ad must speak, one line each (issue 9: "Any script renders").
const SAMPLES: Record<string, string> = {
  latin: 'Fresh coffee, every week',
  cyrillic: 'Свежий кофе каждую неделю',
  greek: 'Φρέσκος καφές κάθε εβδομάδα',
  arabic: 'قهوة طازجة كل أسبوع',
  hebrew: 'קפה טרי בכל שבוע',
  devanagari: 'हर हफ़्ते ताज़ा कॉफ़ी',
  chinese: '每周新鲜咖啡',
  japanese: '毎週新鮮なコーヒー',
  korean: '매주 신선한 커피',
};
/** Unassigned in Unicode: no font has it, so libass draws the font's .notdef "tofu" box. */
const MISSING = '\u0378';
const S = 96;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-scripts-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function item(text: string, font: string, k: number, x = S / 2): TextItem {
  const box = { x: 0, y: 0, w: S, h: S };
  // Frame k+1 (1 fps) falls mid-event, past the fade-in.
  return {
    kind: 'text',
    role: 'line',
    lines: [text],
    font,
    fontSize: 48,
    startS: k + 0.6,
    endS: k + 1.4,
    x,
    y: S / 2,
    anim: 'fade',
    slidePx: 0,
    ink: '#ffffff',
    backing: null,
    pad: 0,
    box,
  };
}

/** Renders one event per frame with the production ASS writer and filter; returns the frames. */
async function render(items: TextItem[], width = S): Promise<{ frames: Buffer[]; log: string }> {
  const layer: TextLayer = {
    width,
    height: S,
    safe: { x: 0, y: 0, w: width, h: S },
    items,
    logoSlot: { x: 0, y: 0, w: 0, h: 0 },
    endCard: { startS: 0, endS: 0 },
  };
  const path = join(dir, `l${Math.random().toString(36).slice(2)}.ass`);
  await writeFile(path, buildAssDocument(layer), 'utf8');
  const input = ['-f', 'lavfi', '-i', `color=c=black:s=${width}x${S}:r=1:d=${items.length + 1}`];
  const frames = await greyFrames([...input, '-vf', textLayerFilter(path)], width, S);
  const log = await new Promise<string>((resolve) =>
    execFile(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'verbose', ...input, '-vf', textLayerFilter(path), '-f', 'null', '-'],
      (_e, _o, err) => resolve(String(err)),
    ),
  );
  return { frames: frames.slice(1), log };
}

describe('every script renders with real glyphs (libass + the Noto fonts)', () => {
  for (const [name, line] of Object.entries(SAMPLES)) {
    it(`${name}: no character draws as the missing-glyph box`, async () => {
      const font = FONT_BY_SCRIPT[scriptOf(line)].family;
      const chars = [...new Set([...line.replace(/\s/g, '')])];
      const { frames, log } = await render([
        item(MISSING, font, 0),
        ...chars.map((c, k) => item(c, font, k + 1)),
      ]);
      // The family resolves to an installed Noto file, not a substitute.
      expect(log).toMatch(new RegExp(`fontselect: \\(${font}, 700, 0\\) -> \\S*Noto`));
      const tofu = frames[0]!;
      chars.forEach((c, k) => {
        const frame = frames[k + 1]!;
        expect(inkBounds(frame, S), `${c} has ink`).not.toBeNull();
        // A missing font makes every character the same .notdef box as the reference.
        expect(
          differingPixels(frame, tofu),
          `U+${c.codePointAt(0)!.toString(16)} is not tofu`,
        ).toBeGreaterThan(20);
      });
    });
  }

  it('the tofu check really fails on a missing glyph', async () => {
    const font = FONT_BY_SCRIPT.latin.family;
    const { frames } = await render([item(MISSING, font, 0), item('\u0379', font, 1)]);
    expect(differingPixels(frames[1]!, frames[0]!)).toBe(0);
  });

  it('Arabic is shaped: joined letters differ from the same letters kept apart', async () => {
    const font = FONT_BY_SCRIPT.arabic.family;
    const word = 'سلام';
    const apart = [...word].join('\u200c');
    const { frames } = await render([item(word, font, 0, 96), item(apart, font, 1, 96)], 192);
    expect(differingPixels(frames[0]!, frames[1]!)).toBeGreaterThan(50);
  });

  it('Hebrew runs right to left: the first letter typed is drawn rightmost', async () => {
    const font = FONT_BY_SCRIPT.hebrew.family;
    // U+202D..U+202C forces left-to-right: "LRO bet alef" draws bet then alef, left to right.
    const ltr = (s: string) => `\u202d${s}\u202c`;
    const { frames } = await render(
      [item('אב', font, 0, 96), item(ltr('בא'), font, 1, 96), item(ltr('אב'), font, 2, 96)],
      192,
    );
    expect(inkBounds(frames[0]!, 192)).not.toBeNull();
    expect(differingPixels(frames[0]!, frames[1]!)).toBeLessThan(10);
    expect(differingPixels(frames[0]!, frames[2]!)).toBeGreaterThan(50);
  });
});
