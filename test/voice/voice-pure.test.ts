import { describe, expect, it } from 'vitest';
import { addCaptions } from '../../src/pipeline/media/caption-layer.ts';
import { rectInside } from '../../src/pipeline/media/safe-zones.ts';
import { buildSrt, srtTime } from '../../src/pipeline/media/srt.ts';
import { layoutTextLayer, type TextItem } from '../../src/pipeline/media/text-layer.ts';
import { voiceFit } from '../../src/pipeline/media/voice-mix.ts';
import { SceneSchema } from '../../src/pipeline/schemas.ts';
import { captionCues, splitPhrases } from '../../src/pipeline/voice/captions.ts';
import { fitTempo, playSeconds, TEMPO, voiceWindows } from '../../src/pipeline/voice/fit.ts';
import { fitVoiceLine, shortenVoiceLine, voiceBudget } from '../../src/pipeline/voice/voice-line.ts';

const words = (s: string) => s.split(' ').filter(Boolean).length;

describe('voice lines sized to their scene', () => {
  it('holds about 2.5 words a second, minus a breath, and cuts at a phrase end', () => {
    expect(voiceBudget('hello there', 4)).toEqual({ unit: 'word', max: 8 });
    const long = 'Smooth and bold, never bitter, always cold and ready for the long commute home tonight';
    const fitted = fitVoiceLine(long, 4);
    expect(words(fitted)).toBeLessThanOrEqual(8);
    expect(fitted).toBe('Smooth and bold, never bitter');
    expect(fitVoiceLine('', 5)).toBe('');
    expect(fitVoiceLine(null, 5)).toBe('');
  });

  it('is validated by the scene schema: too long is shortened, missing is empty', () => {
    const base = {
      kind: 'feature',
      durationS: 3,
      title: 't',
      onScreen: 'w',
      description: 'd',
      stylePrompt: 's',
    };
    const long = SceneSchema.parse({
      ...base,
      voiceLine: 'one two three four five six seven eight nine ten',
    });
    expect(words(long.voiceLine)).toBe(6);
    expect(SceneSchema.parse(base).voiceLine).toBe('');
  });

  it('counts characters in unspaced scripts', () => {
    expect(voiceBudget('冷萃咖啡', 4).unit).toBe('char');
    expect(
      [...fitVoiceLine('冷萃咖啡冷萃咖啡冷萃咖啡冷萃咖啡冷萃咖啡冷萃咖啡', 3)].length,
    ).toBeLessThanOrEqual(14);
  });

  it('shortens a line to what the window holds, never to the same line', () => {
    const text = 'one two three four five six seven eight nine ten';
    const shorter = shortenVoiceLine(text, 5, 3);
    expect(words(shorter)).toBeLessThanOrEqual(Math.floor((10 * 3 * 0.9) / 5));
    expect(shortenVoiceLine('a b', 1, 10)).toBe('a');
  });
});

describe('tempo fitting', () => {
  it('plays a fitting line as spoken and speeds up a long one up to 1.15', () => {
    expect(fitTempo(3, 4)).toEqual({ fits: true, tempo: 1 });
    expect(fitTempo(4.4, 4)).toEqual({ fits: true, tempo: 1.1 });
    const over = fitTempo(6, 4);
    expect(over.fits).toBe(false);
    expect(over.tempo).toBe(TEMPO.max);
    expect(fitTempo(3, 4, 0.8).tempo).toBe(TEMPO.min);
    expect(playSeconds(6, 1.15, 4)).toBe(4);
    expect(playSeconds(4.4, 1.1, 4)).toBe(4);
  });

  it('puts each window inside its scene with a lead and a tail', () => {
    const w = voiceWindows([4, 5, 6]);
    expect(w.map((x) => [x.startS, x.endS])).toEqual([
      [0.3, 3.75],
      [4.3, 8.75],
      [9.3, 14.75],
    ]);
  });
});

describe('a line placed in the audio chain', () => {
  const loud = (durationS: number) => ({ integratedLufs: -20, truePeakDbtp: -3, durationS });
  it('gets atempo when sped up, and a cut with a fade only when it still overruns', () => {
    expect(voiceFit({ input: 1, role: 'voice', tempo: 1, playS: 4, loudness: loud(3) })).toEqual([]);
    expect(voiceFit({ input: 1, role: 'voice', tempo: 1.1, playS: 4, loudness: loud(4.4) })).toEqual([
      'atempo=1.1',
    ]);
    expect(voiceFit({ input: 1, role: 'voice', tempo: 1.15, playS: 4, loudness: loud(6) })).toEqual([
      'atempo=1.15',
      'atrim=0:4',
      'afade=t=out:st=3.85:d=0.15',
    ]);
  });
});

describe('captions timed against the voice lines', () => {
  it('splits at punctuation and into 3-5 word phrases', () => {
    expect(splitPhrases('Smooth, never bitter. Grab one today')).toEqual([
      'Smooth,',
      'never bitter.',
      'Grab one today',
    ]);
    expect(splitPhrases('Visit brewline.co today. Now 3.5 times better')).toEqual([
      'Visit brewline.co today.',
      'Now 3.5 times better',
    ]);
    const p = splitPhrases('one two three four five six seven eight nine ten eleven');
    expect(p.every((x) => words(x) >= 3 && words(x) <= 5)).toBe(true);
    expect(p.join(' ')).toBe('one two three four five six seven eight nine ten eleven');
  });

  it('shares each line’s playing time by characters, phrases back to back', () => {
    const cues = captionCues([
      { index: 0, text: 'Hello there, friend of mine', startS: 0.3, playS: 2 },
      { index: 2, text: 'Buy it.', startS: 10.3, playS: 1 },
    ]);
    expect(cues.map((c) => c.text)).toEqual(['Hello there,', 'friend of mine', 'Buy it.']);
    expect(cues[0]!.startS).toBe(0.3);
    expect(cues[1]!.startS).toBe(cues[0]!.endS);
    expect(cues[1]!.endS).toBe(2.3);
    // 11 of 23 letters -> 11/23 of 2 s.
    expect(cues[0]!.endS - cues[0]!.startS).toBeCloseTo((2 * 11) / 23, 2);
    expect(cues[2]).toEqual({ line: 2, text: 'Buy it.', startS: 10.3, endS: 11.3 });
  });

  it('writes SubRip with numbered cues and millisecond times', () => {
    expect(srtTime(3661.5)).toBe('01:01:01,500');
    const srt = buildSrt([
      { line: 0, text: 'Hello there,', startS: 0.3, endS: 1.257 },
      { line: 0, text: 'friend\nof mine', startS: 1.257, endS: 2.3 },
    ]);
    expect(srt).toBe(
      '1\n00:00:00,300 --> 00:00:01,257\nHello there,\n\n2\n00:00:01,257 --> 00:00:02,300\nfriend of mine\n',
    );
  });
});

describe('captions in the text layer', () => {
  const layer = layoutTextLayer({
    width: 1080,
    height: 1920,
    crossfadeS: 0.5,
    scenes: [4, 5, 5, 5, 5, 6].map((d, i) => ({ onScreen: `Scene ${i + 1} key words here`, durationS: d })),
    product: 'Brew',
    callToAction: 'Grab one today',
  });
  const cues = captionCues(
    voiceWindows([4, 5, 5, 5, 5, 6]).map((w, i) => ({
      index: i,
      text: 'A few spoken words, then a few more',
      startS: w.startS,
      playS: w.endS - w.startS,
    })),
  );
  const withCaps = addCaptions(layer, cues);
  const caps = withCaps.items.filter((i): i is TextItem => i.kind === 'text' && i.role === 'caption');
  const overlap = (a: TextItem['box'], b: TextItem['box']) =>
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

  it('stays inside the safe area and never covers a line shown at the same time', () => {
    expect(caps.length).toBeGreaterThan(0);
    for (const c of caps) {
      expect(rectInside(c.box, withCaps.safe)).toBe(true);
      const others = withCaps.items.filter(
        (i) => i.role !== 'caption' && i.startS < c.endS && c.startS < i.endS,
      );
      for (const o of others) expect(overlap(c.box, o.box), `${c.lines} vs ${o.role}`).toBe(false);
    }
  });

  it('sits in the lower third of the safe area outside the end card and lifts the scene lines', () => {
    const safeBottom = withCaps.safe.y + withCaps.safe.h;
    const beforeEnd = caps.filter((c) => c.endS <= withCaps.endCard.startS);
    expect(beforeEnd.every((c) => c.box.y + c.box.h === safeBottom)).toBe(true);
    const line = (l: typeof layer) => l.items.find((i) => i.role === 'line')!;
    expect(line(withCaps).box.y).toBeLessThan(line(layer).box.y);
  });

  it('leaves a layer without captions as it was', () => {
    expect(addCaptions(layer, [])).toBe(layer);
  });
});
