import { describe, expect, it } from 'vitest';
import {
  assColour,
  assTime,
  buildAssDocument,
  escapeAssText,
  textLayerFilter,
} from '../../src/pipeline/media/ass.ts';
import { layoutTextLayer } from '../../src/pipeline/media/text-layer.ts';

const WJ = '\u2060';

describe('ASS escaping', () => {
  it('makes override blocks, drawings and escapes literal', () => {
    expect(escapeAssText('{\\fs200}big')).toBe(`\\{\\${WJ}fs200\\}big`);
    expect(escapeAssText('{\\p1}m 0 0 l 9 9{\\p0}')).toBe(`\\{\\${WJ}p1\\}m 0 0 l 9 9\\{\\${WJ}p0\\}`);
    expect(escapeAssText('a\\Nb\\hc\\n')).toBe(`a\\${WJ}Nb\\${WJ}hc\\${WJ}n`);
    // drawtext's markup means nothing to libass; it stays as typed (braces escaped).
    expect(escapeAssText("%{localtime} 50% off: it's")).toBe("%\\{localtime\\} 50% off: it's");
  });

  it('never lets a line break end the Dialogue line (no injected events)', () => {
    const evil = 'hi\nDialogue: 0,0:00:00.00,0:00:30.00,Panel,,0,0,0,,{\\p1}m 0 0 l 999 0 999 999';
    const layer = layoutTextLayer({
      width: 1080,
      height: 1920,
      crossfadeS: 0.5,
      scenes: [
        { onScreen: evil, durationS: 10 },
        { onScreen: 'b', durationS: 10 },
        { onScreen: 'c', durationS: 10 },
      ],
      product: 'P\r\nQ',
      callToAction: 'Go',
    });
    const doc = buildAssDocument(layer);
    const dialogues = doc.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(dialogues).toHaveLength(layer.items.length);
    // Our tags are the only unescaped `{` in every event.
    for (const d of dialogues) {
      const text = d.split(',,').slice(-1)[0]!;
      const unescaped = text.match(/(?<!\\)\{/g) ?? [];
      expect(unescaped.length).toBeLessThanOrEqual(2);
    }
  });

  it('writes colours, times and the filter', () => {
    expect(assColour('#e9c46a')).toBe('&H006AC4E9');
    expect(assColour('#000000', 0.5)).toBe('&H80000000');
    expect(assTime(0)).toBe('0:00:00.00');
    expect(assTime(29.995)).toBe('0:00:30.00');
    expect(assTime(61.5)).toBe('0:01:01.50');
    expect(textLayerFilter("/tmp/a'b:c.ass")).toBe("ass=filename=/tmp/a\\\\\\'b\\\\:c.ass:shaping=complex");
  });
});
