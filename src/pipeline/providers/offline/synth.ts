import { CancelledError } from '../../../errors.ts';
import { createRng, mixSeed } from './common.ts';
import {
  addChord,
  addSample,
  addTone,
  type Bus,
  createBus,
  kickSample,
  makeTable,
  midiHz,
  noiseSample,
  pingPong,
  SAMPLE_RATE,
} from './synth-voices.ts';

export type Energy = 'calm' | 'medium' | 'energetic';

export interface SynthInput {
  durationS: number;
  tempoBpm: number;
  keywords: readonly string[];
  seed: number;
  /** Stops the synthesis between bars (a free preview nobody will look at, preview-stop.ts). */
  signal?: AbortSignal;
}

const CALM = /calm|soft|gentle|serene|slow|organic|nature|moody|luxur|elegant|minimal|dream|ambient/i;
const LOUD = /energetic|bold|neon|pop|punchy|fast|electric|hype|loud|party|sport/i;

/** Tempo sets the pace; mood words can pull a borderline tempo one step calmer or livelier. */
export function energyOf(tempoBpm: number, keywords: readonly string[]): Energy {
  const words = keywords.join(' ');
  if (tempoBpm >= 116 || (tempoBpm >= 104 && LOUD.test(words))) return 'energetic';
  if (tempoBpm < 95 || (tempoBpm < 104 && CALM.test(words))) return 'calm';
  return 'medium';
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
/** Scale degrees (0 = I): pop progressions that loop without sounding finished. */
const PROGRESSIONS = [
  [0, 4, 5, 3], // I V vi IV
  [5, 3, 0, 4], // vi IV I V
  [0, 5, 3, 4], // I vi IV V
  [0, 3, 5, 4], // I IV vi V
];

/** Note of scale degree `d` (may exceed 6: the next octave) above the tonic. */
const degree = (tonic: number, d: number) => tonic + MAJOR[d % 7]! + 12 * Math.floor(d / 7);

const PAD = makeTable([1, 0.32, 0.16, 0.08, 0.04]);
const BASS = makeTable([1, 0.42, 0.12]);
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const BELL = makeTable([1, 0.5, 0, 0.18, 0, 0.06]);

/**
 * A looping pop progression as pads, a root bass line, plucked arpeggios through a ping-pong
 * delay and, unless the mood is calm, a kick and hats. Returns stereo samples (unnormalised).
 * It yields to the event loop every bar: a 30 s bed is ~0.4 s of CPU, which in one piece would
 * hold up the bot's 3-second acks while renders run in the same process.
 */
export async function synthesise(input: SynthInput): Promise<Bus> {
  const frames = Math.max(1, Math.round(input.durationS * SAMPLE_RATE));
  const rng = createRng(mixSeed(input.seed, 'music'));
  const energy = energyOf(input.tempoBpm, input.keywords);
  const beat = 60 / Math.min(160, Math.max(60, input.tempoBpm));
  const bar = beat * 4;
  const tonic = 48 + rng.int(-3, 4); // A2..E3: warm pads, a bass line that phones can play
  const prog = rng.pick(PROGRESSIONS);
  const pads = createBus(frames);
  const low = createBus(frames);
  const plucks = createBus(frames);
  const drums = createBus(frames);
  const bars = Math.ceil(input.durationS / bar);
  const kickTimes: number[] = [];
  const noise = createRng(mixSeed(input.seed, 'noise')).next;
  const kick = kickSample();
  // A few takes of each noise hit, picked at random, so the hats never sound machine-gunned.
  const hatTakes = [0, 1, 2, 3].map(() => noiseSample(noise, 0.028, 0.95));
  const clap = noiseSample(noise, 0.09, 0.6);

  for (let b = 0; b < bars; b++) {
    await yieldToLoop();
    if (input.signal?.aborted) throw new CancelledError();
    const t0 = b * bar;
    const d = prog[b % prog.length]!;
    // Diatonic seventh chord, spread voicing: 5th low, then root, 3rd and 7th an octave up.
    const root = degree(tonic, d);
    const voicing = [degree(tonic, d + 4), root + 12, degree(tonic, d + 9), degree(tonic, d + 13)];
    addChord(pads, {
      table: PAD,
      voices: voicing.flatMap((note, k) =>
        [-0.07, 0.07].map((det) => ({
          freq: midiHz(note + det),
          gain: 0.05 * (k === 0 ? 0.8 : 1),
          pan: det * 6 * (k % 2 ? 1 : -1),
        })),
      ),
      start: t0,
      dur: bar,
      attack: energy === 'calm' ? 0.9 : 0.35,
      release: 0.9,
    });
    // E2..B2-ish roots: low enough to anchor, high enough for phone speakers to reproduce.
    const bassNote = root - 12 < 36 ? root : root - 12;
    const bassHits =
      energy === 'energetic' ? [0, 1, 2, 3, 4, 5, 6, 7] : energy === 'medium' ? [0, 3, 4, 7] : [0];
    for (const h of bassHits) {
      const long = energy === 'calm';
      addTone(low, {
        table: BASS,
        freq: midiHz(bassNote + (energy === 'energetic' && h % 2 ? 12 : 0)),
        start: t0 + (h * beat) / 2,
        dur: long ? bar : beat * 0.42,
        attack: long ? 0.25 : 0.008,
        release: long ? 0.6 : 0.08,
        decay: long ? 0 : 0.35,
        gain: long ? 0.16 : 0.2,
      });
    }
    // Arpeggio: the "soft pulse" of calm moods, a sparkle on top of the others.
    const step = energy === 'calm' ? beat : beat / 2;
    const steps = Math.round(bar / step);
    const pattern = rng.pick([
      [0, 1, 2, 3],
      [0, 2, 1, 3],
      [3, 2, 1, 0],
      [0, 1, 2, 1],
    ]);
    const arp = [root + 12, degree(tonic, d + 2) + 12, degree(tonic, d + 4) + 12, root + 24];
    for (let s = 0; s < steps; s++) {
      const note = arp[pattern[s % 4]!]! + (s % 8 >= 4 && energy !== 'calm' ? 12 : 0);
      addTone(plucks, {
        table: BELL,
        freq: midiHz(note),
        start: t0 + s * step,
        dur: step * 0.9,
        attack: 0.004,
        release: 0.12,
        decay: energy === 'calm' ? 0.45 : 0.22,
        gain: (energy === 'calm' ? 0.07 : 0.045) * (s % 2 ? 0.75 : 1) * rng.range(0.85, 1),
        pan: rng.range(-0.45, 0.45),
      });
    }
    // Calm beds have no drums; the others hold them back for one bar so the bed has an intro.
    if (energy === 'calm' || (b === 0 && bars > 4)) continue;
    for (let q = 0; q < 4; q++) {
      const t = t0 + q * beat;
      if (energy === 'energetic' || q % 2 === 0) {
        addSample(drums, kick, t, 0.38);
        kickTimes.push(t);
      }
      const hats = energy === 'energetic' ? [0.5, 0.25, 0.75] : [0.5];
      for (const off of hats)
        addSample(drums, rng.pick(hatTakes), t + off * beat, off === 0.5 ? 0.07 : 0.035, 0.25);
      if (energy === 'energetic' && q % 2 === 1) addSample(drums, clap, t, 0.12, -0.1);
    }
  }
  pingPong(plucks, beat * 0.75, 0.42, 0.55);
  pingPong(pads, beat * 1.5, 0.3, 0.25);
  return mixDown(frames, [pads, low, plucks, drums], kickTimes, energy);
}

/** Sums the buses with kick ducking on the tonal parts, then fades in and out. */
function mixDown(frames: number, [pads, low, plucks, drums]: Bus[], kicks: number[], energy: Energy): Bus {
  const out = createBus(frames);
  const duck = new Float32Array(frames).fill(1);
  // Side-chain pumping: the pads breathe with the kick, which is what makes a bed feel produced.
  const pump = Float32Array.from(
    { length: Math.round(0.5 * SAMPLE_RATE) },
    (_, n) => 1 - 0.45 * Math.exp(-n / (0.09 * SAMPLE_RATE)),
  );
  for (const t of kicks) {
    const s0 = Math.round(t * SAMPLE_RATE);
    const len = Math.min(frames - s0, pump.length);
    for (let n = 0; n < len; n++) duck[s0 + n] = Math.min(duck[s0 + n]!, pump[n]!);
  }
  const fadeIn = (energy === 'calm' ? 2.5 : 1.2) * SAMPLE_RATE;
  const fadeOut = 1.5 * SAMPLE_RATE;
  // A one-pole high-pass at ~20 Hz removes the kick's DC offset and inaudible rumble.
  const hp = 1 - (2 * Math.PI * 20) / SAMPLE_RATE;
  let [xl, xr, yl, yr] = [0, 0, 0, 0];
  for (let i = 0; i < frames; i++) {
    const g = Math.min(1, i / fadeIn, (frames - i) / fadeOut);
    const k = duck[i]!;
    const l = (pads!.l[i]! * k + low!.l[i]! * k + plucks!.l[i]! + drums!.l[i]!) * g;
    const r = (pads!.r[i]! * k + low!.r[i]! * k + plucks!.r[i]! + drums!.r[i]!) * g;
    yl = hp * (yl + l - xl);
    yr = hp * (yr + r - xr);
    xl = l;
    xr = r;
    out.l[i] = yl;
    out.r[i] = yr;
  }
  return out;
}
