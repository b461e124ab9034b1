import { describe, expect, it } from 'vitest';
import { crossfadeJoin } from '../../src/pipeline/media/compose-clips.ts';
import {
  buildPreviewAudioGraph,
  buildPreviewMuxArgs,
  buildPreviewVideoArgs,
  buildPreviewVideoGraph,
} from '../../src/pipeline/media/preview-graph.ts';

const scenes = [4, 5, 5, 5, 5, 6].map((slotS, i) => ({ imagePath: `/tmp/s${i}.png`, slotS }));

describe('preview graph (pure)', () => {
  it('pans each image across its slot, crossfades like the final and draws the text layer', () => {
    const g = buildPreviewVideoGraph({ scenes, textLayer: { assPath: '/tmp/t.ass' }, outPath: 'x' });
    expect(g.match(/loop=loop=\d+:size=1/g)).toHaveLength(6);
    // Directions alternate, so a cut never continues the same move.
    expect(g).toContain("x='(iw-ow)*(t/4.5)'");
    expect(g).toContain("x='(iw-ow)*(1-(t/5.5))'");
    // Joined like the final (compose-clips.ts): each crossfade only over the two overlapping
    // half-seconds, the rest around it; 6 + 5 pieces concatenated, 30 s in all.
    const segs = [4.5, 5.5, 5.5, 5.5, 5.5, 6];
    expect(g).toContain(crossfadeJoin(segs, 0.5, '[vclips]'));
    expect(g.match(/xfade=transition=fade:duration=0\.5:offset=0,format=yuv420p/g)).toHaveLength(5);
    expect(g).toContain('concat=n=11:v=1:a=0[vclips]');
    expect(g).toMatch(/\[vclips\]ass=filename=.*\[vout\]/);
    const args = buildPreviewVideoArgs({ scenes, outPath: '/tmp/v.mp4' }).join(' ');
    expect(args).toContain('-an');
    expect(args).toContain('-preset ultrafast');
    expect(args).toContain('-t 30 -f mp4 /tmp/v.mp4');
  });

  it('adds music (faded, exactly the ad long) and voice lines under it in the mux', () => {
    const music = buildPreviewAudioGraph({ totalS: 30, musicPath: '/m.wav' });
    expect(music).toMatch(/^\[1:a:0\].*apad=whole_dur=30.*afade=t=out:st=28:d=2\[aout\]$/);
    const both = buildPreviewAudioGraph({
      totalS: 30,
      musicPath: '/m.wav',
      voice: [{ path: '/v.wav', startS: 4 }],
    });
    expect(both).toContain('volume=-8dB[pm]');
    expect(both).toContain('[2:a:0]adelay=delays=4000:all=1');
    expect(both).toContain('[pm][pv0]amix=inputs=2');
    const silent = buildPreviewMuxArgs({ videoPath: '/v.mp4', totalS: 30, outPath: '/tmp/o.mp4' });
    expect(silent).toContain('anullsrc=r=48000:cl=stereo');
    expect(silent.join(' ')).toContain('-c:v copy');
    expect(silent.slice(-3)).toEqual(['-f', 'mp4', '/tmp/o.mp4']);
  });

  it('refuses a scene shorter than the crossfade', () => {
    expect(() =>
      buildPreviewVideoGraph({ scenes: [...scenes, { imagePath: '/a', slotS: 0.4 }], outPath: 'x' }),
    ).toThrow(/longer than/);
  });
});
