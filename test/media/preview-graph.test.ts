import { describe, expect, it } from 'vitest';
import { buildPreviewArgs, buildPreviewGraph } from '../../src/pipeline/media/preview-graph.ts';

const scenes = [4, 5, 5, 5, 5, 6].map((slotS, i) => ({ imagePath: `/tmp/s${i}.png`, slotS }));

describe('preview graph (pure)', () => {
  it('pans each image across its slot, crossfades like the final and draws the text layer', () => {
    const g = buildPreviewGraph({
      scenes,
      musicPath: '/tmp/m.wav',
      textLayer: { assPath: '/tmp/t.ass' },
      outPath: 'x',
    });
    expect(g.match(/loop=loop=\d+:size=1/g)).toHaveLength(6);
    // Directions alternate, so a cut never continues the same move.
    expect(g).toContain("x='(iw-ow)*(t/4.5)'");
    expect(g).toContain("x='(iw-ow)*(1-(t/5.5))'");
    // Offsets as in compose: the slots sum to 30 s.
    expect(g).toContain('xfade=transition=fade:duration=0.5:offset=4');
    expect(g).toContain('offset=24[vclips]');
    expect(g).toMatch(/\[vclips\]ass=filename=.*\[vout\]/);
    expect(g).toContain('[6:a:0]');
  });

  it('mixes voice lines after the music, or silence when there is neither', () => {
    const g = buildPreviewGraph({
      scenes,
      musicPath: '/m.wav',
      voice: [{ path: '/v.wav', startS: 4 }],
      outPath: 'x',
    });
    expect(g).toContain('[7:a:0]');
    expect(g).toContain('adelay=delays=4000');
    const silent = buildPreviewArgs({ scenes, outPath: '/tmp/o.mp4' });
    expect(silent).toContain('anullsrc=r=48000:cl=stereo');
    expect(silent.slice(-3)).toEqual(['-f', 'mp4', '/tmp/o.mp4']);
    expect(silent.join(' ')).toContain('-preset ultrafast');
    expect(silent.join(' ')).toContain('-t 30');
  });

  it('refuses a scene shorter than the crossfade', () => {
    expect(() =>
      buildPreviewGraph({ scenes: [...scenes, { imagePath: '/a', slotS: 0.4 }], outPath: 'x' }),
    ).toThrow(/longer than/);
  });
});
