import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildVideoGraph,
  type ComposeInput,
  segmentDurations,
  xfadeOffsets,
} from '../../src/pipeline/media/compose-graph.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { runBinary } from '../../src/pipeline/media/run.ts';
import { greyFrames } from './frames.ts';

// Real ffmpeg, tiny profile: the crossfades cut into pieces (compose-clips.ts) against the one
// xfade chain over whole clips they replaced, and where ffmpeg converts pixel formats.

let dir = '';
let input: ComposeInput;
const SLOTS = [2, 3, 2];
const CF = 0.5;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-crossfade-'));
  const clips = SLOTS.map((slotS, i) => ({ path: join(dir, `clip${i}.mp4`), slotS }));
  await Promise.all(
    clips.map((c, i) =>
      runBinary('ffmpeg', [
        ...['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-f', 'lavfi'],
        ...['-i', `testsrc2=s=144x256:r=15:d=${c.slotS + 1},hue=h=${i * 120}`],
        ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', c.path],
      ]),
    ),
  );
  input = { clips, profile: PROFILES.tiny, outPath: join(dir, 'out.mp4'), crossfadeS: CF };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const clipInputs = () => {
  const segs = segmentDurations(input.clips, CF);
  return input.clips.flatMap((c, i) => ['-t', String(segs[i]), '-i', c.path]);
};

/**
 * The chain as it was: the same normalised clips, one xfade over whole clips per boundary, its
 * 4:4:4 output brought to 4:2:0 as the encoder's `-pix_fmt yuv420p` did.
 */
function oneXfadeChain(): string {
  const clipChains = buildVideoGraph(input)
    .split(';')
    .filter((p) => /^\[\d+:v:0\]/.test(p));
  const offsets = xfadeOffsets(segmentDurations(input.clips, CF), CF);
  const fades = offsets.map((o, k) => {
    const from = k === 0 ? '[v0]' : `[y${k}]`;
    const to = k === offsets.length - 1 ? ',format=yuv420p[vout]' : `[y${k + 1}]`;
    return `${from}[v${k + 1}]xfade=transition=fade:duration=${CF}:offset=${o}${to}`;
  });
  return [...clipChains, ...fades].join(';');
}

describe('crossfades of pieces', () => {
  it('shows the same picture, frame for frame, as one xfade chain over whole clips', async () => {
    const { width: w, height: h } = PROFILES.tiny;
    const run = (graph: string) =>
      greyFrames([...clipInputs(), '-filter_complex', graph, '-map', '[vout]'], w, h);
    const [pieces, chain] = await Promise.all([run(buildVideoGraph(input)), run(oneXfadeChain())]);
    // 7 s at 15 fps. Luma compared exactly: the old chain passed every frame through 4:4:4 and
    // back, which moves chroma only (now only the crossfades' frames make that trip).
    expect(pieces).toHaveLength(105);
    expect(chain).toHaveLength(105);
    const differing = pieces.map((f, i) => (f.equals(chain[i]!) ? -1 : i)).filter((i) => i >= 0);
    expect(differing).toEqual([]);
    // And the crossfades are there: mid-fade frames differ from both neighbours' pictures.
    const mid = Math.round((SLOTS[0]! + CF / 2) * 15);
    expect(pieces[mid]!.equals(pieces[mid - 4]!)).toBe(false);
  });

  it('converts to 4:4:4 only the pieces that go through xfade, never the whole chain', async () => {
    const { stderrTail } = await runBinary(
      'ffmpeg',
      [
        ...['-hide_banner', '-nostdin', '-v', 'verbose', ...clipInputs()],
        ...['-filter_complex', buildVideoGraph(input), '-map', '[vout]', '-pix_fmt', 'yuv420p'],
        ...['-f', 'null', '-'],
      ],
      { stderrTailBytes: 200_000 },
    );
    const inserted = [
      ...stderrTail.matchAll(
        /auto-inserting filter '\w+' between the filter '(\w+)' and the filter '(\w+)'/g,
      ),
    ];
    // Two pieces into each of the 2 crossfades, and each crossfade's output back to 4:2:0.
    expect(inserted).toHaveLength(6);
    for (const [, from, to] of inserted) expect(`${from} ${to}`).toMatch(/xfade/);
  });
});
