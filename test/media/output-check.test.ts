import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../src/pipeline/media/compose.ts';
import type { ComposeInput } from '../../src/pipeline/media/compose-graph.ts';
import { PROFILES } from '../../src/pipeline/media/profiles.ts';
import { type MediaTraceEvent, runBinary } from '../../src/pipeline/media/run.ts';

let dir = '';
let input: (out: string) => ComposeInput;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adgen-output-check-'));
  const clips = [0, 1].map((i) => ({ path: join(dir, `clip${i}.mp4`), slotS: 4 }));
  const base = ['-hide_banner', '-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i'];
  await Promise.all([
    ...clips.map((c) =>
      runBinary('ffmpeg', [...base, 'testsrc2=s=144x256:r=15:d=4', '-c:v', 'libx264', c.path]),
    ),
    runBinary('ffmpeg', [...base, 'sine=f=440:d=8', join(dir, 'music.wav')]),
  ]);
  input = (outPath) => ({ clips, musicPath: join(dir, 'music.wav'), profile: PROFILES.tiny, outPath });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the composed file is checked in one process before it is renamed into place', () => {
  it('a file cut short after a clean exit (its faststart header promises the whole length) is refused', async () => {
    const out = join(dir, 'cut.mp4');
    const bins = { ffmpeg: resolve('test/media/fixtures/truncating-ffmpeg.mjs'), ffprobe: 'ffprobe' };
    const err = await compose(input(out), { bins }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'compose_corrupt' });
    expect(readdirSync(dir).filter((n) => n.startsWith('cut.mp4'))).toEqual([]);
  });

  it('a good file passes with one check process (streams, header and every frame), not a probe and a decode', async () => {
    const out = join(dir, 'good.mp4');
    const seen: MediaTraceEvent[] = [];
    const onEvent = (m: unknown) => void seen.push(m as MediaTraceEvent);
    subscribe('adgen:media-process', onEvent);
    try {
      const r = await compose(input(out));
      expect(r.durationS).toBeCloseTo(8, 0);
    } finally {
      unsubscribe('adgen:media-process', onEvent);
    }
    const onOutput = seen.filter((e) => e.args.some((a) => a.includes('good.mp4') && a.endsWith('.part')));
    // The encode writes the temp file; one ffprobe reads it back; nothing else touches it.
    expect(onOutput.map((e) => e.bin)).toEqual(['ffmpeg', 'ffprobe']);
    expect(readdirSync(dir).filter((n) => n.startsWith('good.mp4'))).toEqual(['good.mp4']);
  });
});
