import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../src/errors.ts';
import {
  buildComposeArgs,
  buildFilterGraph,
  type ComposeInput,
  segmentDurations,
  videoBitrateKbps,
  xfadeOffsets,
} from '../../src/pipeline/media/compose-graph.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';

const clipsOf = (slots: number[]) => slots.map((slotS, i) => ({ path: `/tmp/c${i}.mp4`, slotS }));
const input = (slots: number[], extra: Partial<ComposeInput> = {}): ComposeInput => ({
  clips: clipsOf(slots),
  musicPath: '/tmp/music.wav',
  profile: PROFILES.final,
  outPath: '/tmp/out.mp4',
  ...extra,
});
/** The labels the crossfade concat joins, in order ([bpK] a clip's body, [xK] a crossfade). */
const joined = (graph: string) => /((?:\[\w+\])+)concat=/.exec(graph)![1]!.match(/\[\w+\]/g)!;
/** Seconds of each joined piece: a body from its trim, a crossfade 0.5 s. */
function pieceSeconds(graph: string): number[] {
  return joined(graph).map((label) => {
    if (label.startsWith('[x')) return 0.5;
    const k = label.slice(3, -1);
    const m = new RegExp(`\\[b${k}\\]trim=start=([\\d.]+):end=([\\d.]+)`).exec(graph)!;
    return Number(m[2]) - Number(m[1]);
  });
}
/** Where each crossfade starts on the ad's timeline: the pieces before it, summed. */
function transitionStarts(graph: string): number[] {
  const secs = pieceSeconds(graph);
  const starts: number[] = [];
  let t = 0;
  joined(graph).forEach((label, i) => {
    if (label.startsWith('[x')) starts.push(Math.round(t * 1000) / 1000);
    t += secs[i]!;
  });
  return starts;
}
const argAfter = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('timeline', () => {
  it('stretches all but the last segment by the crossfade so the total stays the slot sum', () => {
    const segs = segmentDurations(clipsOf([4, 6, 6, 6, 8]), 0.5);
    expect(segs).toEqual([4.5, 6.5, 6.5, 6.5, 8]);
    expect(segs.reduce((a, b) => a + b) - 4 * 0.5).toBe(30);
  });

  it('places 5-scene crossfades at the scene boundaries', () => {
    const graph = buildFilterGraph(input([4, 6, 6, 6, 8]));
    expect(xfadeOffsets([4.5, 6.5, 6.5, 6.5, 8], 0.5)).toEqual([4, 10, 16, 22]);
    expect(transitionStarts(graph)).toEqual([4, 10, 16, 22]);
    expect(graph.match(/xfade=transition=fade:duration=0.5:offset=0,format=yuv420p/g)).toHaveLength(4);
  });

  it('places 7-scene crossfades without float noise', () => {
    const slots = [3.5, 4, 4.2, 4.3, 4, 5, 5];
    const graph = buildFilterGraph(input(slots));
    expect(transitionStarts(graph)).toEqual([3.5, 7.5, 11.7, 16, 20, 25]);
    expect(graph).not.toMatch(/\d\.\d{4,}/);
    expect(graph).toContain('[tp5][hp6]xfade=transition=fade:duration=0.5:offset=0,format=yuv420p[x6]');
  });

  it('fades only the overlapping half-seconds: each clip is cut into head, body and tail', () => {
    const graph = buildFilterGraph(input([4, 6, 8]));
    // Clip 0 (4.5 s): body 0-4, tail 4-4.5. Clip 1 (6.5 s): head, body 0.5-6, tail 6-6.5. Clip 2: head, body 0.5-8.
    expect(graph).toContain('[v0]split=2[b0][t0];[b0]trim=start=0:end=4,setpts=PTS-STARTPTS[bp0]');
    expect(graph).toContain('[t0]trim=start=4:end=4.5,setpts=PTS-STARTPTS[tp0]');
    expect(graph).toContain('[v1]split=3[h1][b1][t1];[h1]trim=start=0:end=0.5,');
    expect(graph).toContain('[b1]trim=start=0.5:end=6,');
    expect(graph).toContain('[t1]trim=start=6:end=6.5,');
    expect(graph).toContain('[b2]trim=start=0.5:end=8,');
    expect(graph).toContain('[bp0][x1][bp1][x2][bp2]concat=n=5:v=1:a=0[vout]');
    // 4 + 0.5 + 5.5 + 0.5 + 7.5: the slots' sum.
    expect(pieceSeconds(graph).reduce((a, b) => a + b)).toBe(18);
  });

  it('uses no xfade for a single clip', () => {
    const graph = buildFilterGraph(input([30]));
    expect(graph).not.toContain('xfade');
    expect(graph).toContain('trim=duration=30,setpts=PTS-STARTPTS,settb=AVTB[vout]');
  });

  it('butts segments together with concat when the crossfade is 0', () => {
    const graph = buildFilterGraph(input([10, 20], { crossfadeS: 0 }));
    expect(graph).not.toContain('xfade');
    expect(graph).toContain('trim=duration=10,');
    expect(graph).toContain('[v0][v1]concat=n=2:v=1:a=0[vout]');
  });
});

describe('normalisation', () => {
  it('makes every input the same size, SAR, fps, format, timebase and exact length', () => {
    const graph = buildFilterGraph(input([10, 10, 10]));
    const chain =
      "crop=w='trunc(min(iw,ih*1080/1920)/2)*2':h='trunc(min(ih,iw*1920/1080)/2)*2',scale=1080:1920," +
      'setsar=1,fps=30,' +
      'format=yuv420p,tpad=stop_mode=clone:stop_duration=10.5,trim=duration=10.5,' +
      'setpts=PTS-STARTPTS,settb=AVTB';
    expect(graph).toContain(`[0:v:0]${chain}[v0]`);
    expect(graph).toContain(`[1:v:0]${chain}[v1]`);
    expect(graph).toMatch(/\[2:v:0\]crop=w='[^']+':h='[^']+',scale=1080:1920,/);
    expect(graph).toContain('stop_duration=10,trim=duration=10,setpts=PTS-STARTPTS,settb=AVTB[v2]');
  });

  it('crops to the frame aspect before scaling, so only the kept picture is scaled', () => {
    // A landscape clip in a 9:16 frame: 1920x1080 is cropped to 606x1080, then scaled to
    // 1080x1920 (scaling first would make 3414x1920 and throw two thirds of it away).
    const graph = buildFilterGraph(input([10, 10, 10]));
    const chain = graph.slice(graph.indexOf('[0:v:0]'), graph.indexOf('[v0]'));
    expect(chain.indexOf('crop=')).toBeLessThan(chain.indexOf('scale='));
    expect(chain).not.toContain('force_original_aspect_ratio');
  });

  it('follows the profile size and fps', () => {
    const graph = buildFilterGraph(input([15, 15], { profile: PROFILES.tiny }));
    expect(graph).toContain(
      "crop=w='trunc(min(iw,ih*144/256)/2)*2':h='trunc(min(ih,iw*256/144)/2)*2',scale=144:256,",
    );
    expect(graph).toContain('fps=15,');
  });
});

describe('audio', () => {
  it('pads, trims and fades music to the exact total', () => {
    const graph = buildFilterGraph(input([10, 10, 10], { musicFadeOutS: 2 }));
    // Float samples, so a measured gain of +20 dB cannot clip before the limiter.
    expect(graph).toContain('[3:a:0]aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo');
    expect(graph).toMatch(/alimiter=[^;]*\[aout\]$/);
    expect(graph).toMatch(/atrim=0:30,.*apad=whole_dur=30,atrim=0:30/);
    expect(graph).toContain('afade=t=in:d=0.3');
    expect(graph).toContain('afade=t=out:st=28:d=2');
    expect(graph).not.toContain('anullsrc');
    const args = buildComposeArgs(input([10, 10, 10]));
    expect(args).not.toContain('lavfi');
    expect(argAfter(args, '-filter_complex')).toBe(graph);
  });

  it('generates silence with anullsrc when there is no music', () => {
    const args = buildComposeArgs(input([10, 20], { musicPath: undefined }));
    expect(args.join(' ')).toContain('-f lavfi -i anullsrc=r=48000:cl=stereo');
    expect(argAfter(args, '-filter_complex')).toContain('[2:a:0]aformat=');
    expect(argAfter(args, '-filter_complex')).not.toContain('afade');
  });
});

describe('encode arguments', () => {
  it('restricts every file input to local files and sets the output format', () => {
    const args = buildComposeArgs(input([10, 10, 10]));
    expect(args.filter((a) => a === '-i')).toHaveLength(4);
    expect(args.filter((a) => a === '-protocol_whitelist')).toHaveLength(4);
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '-i') expect(args.slice(0, i).lastIndexOf('-protocol_whitelist')).toBeGreaterThan(-1);
    }
    const s = args.join(' ');
    expect(s).toContain('-c:v libx264 -preset medium -profile:v high -pix_fmt yuv420p -r 30');
    expect(s).toContain('-c:a aac -b:a 160k -ar 48000 -ac 2');
    expect(s).toContain('-movflags +faststart -t 30 -progress pipe:1 -nostats -f mp4 /tmp/out.mp4');
    expect(argAfter(args, '-crf')).toBe('21');
    expect(args).not.toContain('-b:v');
  });

  it('honours a preset override', () => {
    expect(argAfter(buildComposeArgs(input([30], { preset: 'veryfast' })), '-preset')).toBe('veryfast');
  });
});

describe('size target', () => {
  it('computes the video budget with a 3% margin, minus MP4 overhead and audio', () => {
    expect(videoBitrateKbps(10 * 1024 * 1024, 30, 160)).toBe(2548);
    expect(videoBitrateKbps(25_000_000, 30, 128)).toBe(6334);
  });

  it('uses ABR with matching maxrate and a 2x buffer in the same pass', () => {
    const args = buildComposeArgs(input([10, 10, 10], { maxBytes: 10 * 1024 * 1024 }));
    expect(argAfter(args, '-b:v')).toBe('2548k');
    expect(argAfter(args, '-maxrate')).toBe('2548k');
    expect(argAfter(args, '-bufsize')).toBe('5096k');
    expect(args).not.toContain('-crf');
  });

  it('refuses an unreachable target and suggests the draft profile', () => {
    const build = () => buildComposeArgs(input([10, 10, 10], { maxBytes: 1_000_000 }));
    expect(build).toThrow(NonRetryableError);
    expect(build).toThrow(/draft profile/);
    try {
      build();
    } catch (err) {
      expect((err as NonRetryableError).code).toBe('size_target_unreachable');
    }
  });
});

describe('validation', () => {
  it.each([
    ['no clips', input([])],
    ['a slot not longer than the crossfade', input([29.6, 0.4])],
    ['a zero slot', input([0])],
    ['a negative crossfade', input([10, 20], { crossfadeS: -1 })],
    ['a fade-out longer than the ad', input([10, 20], { musicFadeOutS: 31 })],
    ['an empty path', { ...input([30]), clips: [{ path: '', slotS: 30 }] }],
    ['a bad preset', input([30], { preset: 'ludicrous' })],
    ['a zero size target', input([30], { maxBytes: 0 })],
    ['no output path', input([30], { outPath: '' })],
  ])('rejects %s', (_name, bad) => {
    expect(() => buildComposeArgs(bad)).toThrow(NonRetryableError);
  });

  it('accepts one clip shorter than the crossfade (nothing to fade)', () => {
    expect(() => buildComposeArgs(input([1], { musicFadeOutS: 0.5 }))).not.toThrow();
  });
});

describe('text layer in the video chain', () => {
  it('draws the ASS document after the crossfades, in the same graph, as [vout]', () => {
    const plain = buildFilterGraph(input([4, 6, 6, 6, 8]));
    const graph = buildFilterGraph(
      input([4, 6, 6, 6, 8], { textLayer: { assPath: "/tmp/run 1/t'x:1.ass" } }),
    );
    expect(graph).toContain("[vclips]ass=filename=/tmp/run 1/t\\\\\\'x\\\\:1.ass:shaping=complex[vout]");
    expect(graph.match(/\[vout\]/g)).toHaveLength(1);
    // Without the layer, nothing changes.
    expect(graph.replace(/\[vclips\];\[vclips\]ass=[^[]*\[vout\]/, '[vout]')).toBe(plain);
    const single = buildFilterGraph(input([30], { textLayer: { assPath: '/tmp/t.ass' } }));
    expect(single).toMatch(/\[vclips\];\[vclips\]ass=filename=\/tmp\/t\.ass:shaping=complex\[vout\]/);
  });

  it('refuses an empty text layer path', () => {
    expect(() => buildFilterGraph(input([30], { textLayer: { assPath: '' } }))).toThrow(NonRetryableError);
  });
});
