import { describe, expect, it } from 'vitest';
import { clipPreviews, type LandedClip } from '../../src/pipeline/steps/clip-previews.ts';

const landed = (n: number): LandedClip => ({ clip: `clip-${n}.mp4`, durationS: 4, out: `frame-${n}.jpg` });

/** A frame maker the test finishes by hand, recording what was asked and how many ran at once. */
function manualMaker() {
  const pending: { c: LandedClip; finish: (ok: boolean) => void }[] = [];
  let running = 0;
  let peak = 0;
  const stopped: string[] = [];
  const make = (c: LandedClip, signal: AbortSignal) =>
    new Promise<string | null>((resolve, reject) => {
      signal.addEventListener('abort', () => stopped.push(c.clip));
      running++;
      peak = Math.max(peak, running);
      pending.push({
        c,
        finish: (ok) => {
          running--;
          if (ok) resolve(c.out);
          else reject(new Error('ffmpeg failed'));
        },
      });
    });
  return { make, pending, stopped, peak: () => peak };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('status frames of landed clips are made beside the render, newest first, one at a time', () => {
  it('clips landing while a frame is made skip to the newest; a failed frame is left out', async () => {
    const m = manualMaker();
    const shown: string[] = [];
    const p = clipPreviews(m.make, (f) => shown.push(f));
    p.landed(landed(1));
    p.landed(landed(2));
    p.landed(landed(3));
    await tick();
    expect(m.pending.map((x) => x.c.clip)).toEqual(['clip-1.mp4']);
    m.pending[0]!.finish(false);
    await tick();
    // Clip 2 was replaced by 3 before its turn: never made.
    expect(m.pending.map((x) => x.c.clip)).toEqual(['clip-1.mp4', 'clip-3.mp4']);
    m.pending[1]!.finish(true);
    await tick();
    expect(shown).toEqual(['frame-3.jpg']);
    expect(m.peak()).toBe(1);
  });

  it('after close nothing new starts; the first frame still shows, a later one is stopped', async () => {
    const m = manualMaker();
    const shown: string[] = [];
    const p = clipPreviews(m.make, (f) => shown.push(f));
    p.landed(landed(1));
    p.landed(landed(2));
    await tick();
    // The clips are all in before any frame was shown: the one being made finishes and shows.
    p.close();
    expect(m.stopped).toEqual([]);
    p.landed(landed(3));
    m.pending[0]!.finish(true);
    await tick();
    expect(m.pending.map((x) => x.c.clip)).toEqual(['clip-1.mp4']);
    expect(shown).toHaveLength(1);
  });

  it('once a frame was shown, close stops the one being made and shows nothing more', async () => {
    const m = manualMaker();
    const shown: string[] = [];
    const p = clipPreviews(m.make, (f) => shown.push(f));
    p.landed(landed(1));
    await tick();
    m.pending[0]!.finish(true);
    await tick();
    p.landed(landed(2));
    await tick();
    p.close();
    expect(m.stopped).toContain('clip-2.mp4');
    m.pending[1]!.finish(true);
    await tick();
    expect(shown).toHaveLength(1);
  });
});
