/**
 * Building blocks of the offline music bed. Everything renders into stereo Float32Array buses
 * with wavetables and running envelopes instead of Math.sin per sample: 30 s of music is
 * ~1.3 M frames, and a dozen voices must stay well under a second.
 */

export const SAMPLE_RATE = 44100;
const TABLE_SIZE = 4096;

export interface Bus {
  l: Float32Array;
  r: Float32Array;
}

export function createBus(frames: number): Bus {
  return { l: new Float32Array(frames), r: new Float32Array(frames) };
}

/** One cycle of a harmonic mix (amplitude per harmonic, from the fundamental up), peak 1. */
export function makeTable(harmonics: readonly number[]): Float32Array {
  const t = new Float32Array(TABLE_SIZE + 1);
  let peak = 0;
  for (let i = 0; i <= TABLE_SIZE; i++) {
    let v = 0;
    harmonics.forEach((a, h) => {
      v += a * Math.sin((2 * Math.PI * (h + 1) * i) / TABLE_SIZE);
    });
    t[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i <= TABLE_SIZE; i++) t[i]! /= peak;
  return t;
}

export const midiHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

export interface Tone {
  table: Float32Array;
  freq: number;
  /** Seconds. */
  start: number;
  dur: number;
  attack: number;
  release: number;
  /** Exponential decay time constant in seconds after the attack (plucks); 0 = sustain. */
  decay?: number;
  gain: number;
  /** -1 (left) .. 1 (right). */
  pan?: number;
}

/** Adds one note (attack, optional decay, linear release after `dur`) to the bus. */
export function addTone(bus: Bus, t: Tone): void {
  const frames = bus.l.length;
  const s0 = Math.max(0, Math.round(t.start * SAMPLE_RATE));
  const holdEnd = Math.round((t.start + t.dur) * SAMPLE_RATE);
  const end = Math.min(frames, holdEnd + Math.round(t.release * SAMPLE_RATE));
  const att = Math.max(1, Math.round(t.attack * SAMPLE_RATE));
  const rel = Math.max(1, Math.round(t.release * SAMPLE_RATE));
  const decayK = t.decay ? Math.exp(-1 / (t.decay * SAMPLE_RATE)) : 1;
  const pan = t.pan ?? 0;
  // Equal-power pan keeps loudness steady across the stereo field.
  const gl = t.gain * Math.cos(((pan + 1) * Math.PI) / 4);
  const gr = t.gain * Math.sin(((pan + 1) * Math.PI) / 4);
  const step = (t.freq * TABLE_SIZE) / SAMPLE_RATE;
  const table = t.table;
  let phase = 0;
  let dec = 1;
  let relStartLevel = -1;
  for (let i = s0; i < end; i++) {
    const n = i - s0;
    let env = n < att ? n / att : dec;
    if (n >= att) dec *= decayK;
    if (i >= holdEnd) {
      if (relStartLevel < 0) relStartLevel = env;
      env = relStartLevel * (1 - (i - holdEnd) / rel);
    }
    const idx = phase | 0;
    const frac = phase - idx;
    const v = (table[idx]! + (table[idx + 1]! - table[idx]!) * frac) * env;
    bus.l[i]! += v * gl;
    bus.r[i]! += v * gr;
    phase += step;
    if (phase >= TABLE_SIZE) phase -= TABLE_SIZE;
  }
}

/** A soft electronic kick: a sine sweeping 110 -> 45 Hz with a quick decay. */
export function addKick(bus: Bus, start: number, gain: number): void {
  const s0 = Math.round(start * SAMPLE_RATE);
  const len = Math.min(bus.l.length - s0, Math.round(0.32 * SAMPLE_RATE));
  let phase = 0;
  for (let n = 0; n < len; n++) {
    const t = n / SAMPLE_RATE;
    const freq = 45 + 65 * Math.exp(-t / 0.035);
    phase += (2 * Math.PI * freq) / SAMPLE_RATE;
    const env = Math.min(1, n / 40) * Math.exp(-t / 0.11);
    const v = Math.sin(phase) * env * gain;
    bus.l[s0 + n]! += v;
    bus.r[s0 + n]! += v;
  }
}

/**
 * Noise hits (hats, shakers, claps) from a seeded generator, high-passed by a first
 * difference so they sit above the pads instead of hissing across the whole spectrum.
 */
export function addNoiseHit(
  bus: Bus,
  rand: () => number,
  start: number,
  opts: { decay: number; gain: number; pan: number; bright: number },
): void {
  const s0 = Math.round(start * SAMPLE_RATE);
  const len = Math.min(bus.l.length - s0, Math.round(opts.decay * 6 * SAMPLE_RATE));
  const k = Math.exp(-1 / (opts.decay * SAMPLE_RATE));
  const gl = opts.gain * Math.cos(((opts.pan + 1) * Math.PI) / 4);
  const gr = opts.gain * Math.sin(((opts.pan + 1) * Math.PI) / 4);
  let env = 1;
  let prev = 0;
  for (let n = 0; n < len; n++) {
    const white = rand() * 2 - 1;
    const v = (white - prev * opts.bright) * env;
    prev = white;
    env *= k;
    bus.l[s0 + n]! += v * gl;
    bus.r[s0 + n]! += v * gr;
  }
}

/** Ping-pong feedback delay: cheap space for pads and plucks (no convolution reverb needed). */
export function pingPong(bus: Bus, delayS: number, feedback: number, mix: number): void {
  const d = Math.round(delayS * SAMPLE_RATE);
  const frames = bus.l.length;
  // Two delay lines feeding each other: echoes alternate left, right, left...
  const dl = new Float32Array(frames);
  const dr = new Float32Array(frames);
  const wl = new Float32Array(frames);
  const wr = new Float32Array(frames);
  let lp = 0;
  for (let i = 0; i < frames; i++) {
    wl[i] = i >= d ? dl[i - d]! : 0;
    wr[i] = i >= d ? dr[i - d]! : 0;
    // A one-pole low-pass in the loop darkens each repeat, like a tape echo.
    lp += 0.35 * ((bus.l[i]! + bus.r[i]!) * 0.5 + wr[i]! * feedback - lp);
    dl[i] = lp;
    dr[i] = wl[i]! * feedback;
  }
  for (let i = 0; i < frames; i++) {
    bus.l[i]! += wl[i]! * mix;
    bus.r[i]! += wr[i]! * mix;
  }
}
