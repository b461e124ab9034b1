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

export interface Chord {
  table: Float32Array;
  /** One entry per oscillator: frequency, gain and pan (-1..1). */
  voices: { freq: number; gain: number; pan: number }[];
  start: number;
  dur: number;
  attack: number;
  release: number;
}

/**
 * All oscillators of a pad chord in one pass with one shared envelope: eight voices cost one
 * loop instead of eight, which is most of the synth's time.
 */
export function addChord(bus: Bus, c: Chord): void {
  const s0 = Math.max(0, Math.round(c.start * SAMPLE_RATE));
  const holdEnd = Math.round((c.start + c.dur) * SAMPLE_RATE);
  const end = Math.min(bus.l.length, holdEnd + Math.round(c.release * SAMPLE_RATE));
  const att = Math.max(1, Math.round(c.attack * SAMPLE_RATE));
  const rel = Math.max(1, Math.round(c.release * SAMPLE_RATE));
  const n = c.voices.length;
  const steps = Float64Array.from(c.voices, (v) => (v.freq * TABLE_SIZE) / SAMPLE_RATE);
  const gl = Float64Array.from(c.voices, (v) => v.gain * Math.cos(((v.pan + 1) * Math.PI) / 4));
  const gr = Float64Array.from(c.voices, (v) => v.gain * Math.sin(((v.pan + 1) * Math.PI) / 4));
  const phases = new Float64Array(n);
  const table = c.table;
  for (let i = s0; i < end; i++) {
    const k = i - s0;
    const env = k < att ? k / att : i < holdEnd ? 1 : 1 - (i - holdEnd) / rel;
    let l = 0;
    let r = 0;
    for (let v = 0; v < n; v++) {
      const ph = phases[v]!;
      const idx = ph | 0;
      const x = table[idx]! + (table[idx + 1]! - table[idx]!) * (ph - idx);
      l += x * gl[v]!;
      r += x * gr[v]!;
      const next = ph + steps[v]!;
      phases[v] = next >= TABLE_SIZE ? next - TABLE_SIZE : next;
    }
    bus.l[i]! += l * env;
    bus.r[i]! += r * env;
  }
}

/** A soft electronic kick: a sine sweeping 110 -> 45 Hz with a quick decay (rendered once). */
export function kickSample(): Float32Array {
  const out = new Float32Array(Math.round(0.32 * SAMPLE_RATE));
  let phase = 0;
  for (let n = 0; n < out.length; n++) {
    const t = n / SAMPLE_RATE;
    phase += (2 * Math.PI * (45 + 65 * Math.exp(-t / 0.035))) / SAMPLE_RATE;
    // Ramps at both ends: a sample that starts or stops off zero clicks.
    const edge = Math.min(1, n / 40, (out.length - n) / 600);
    out[n] = Math.sin(phase) * edge * Math.exp(-t / 0.11);
  }
  return out;
}

/**
 * A noise hit (hat, shaker, clap) from a seeded generator, high-passed by a first difference
 * so it sits above the pads instead of hissing across the whole spectrum.
 */
export function noiseSample(rand: () => number, decay: number, bright: number): Float32Array {
  const out = new Float32Array(Math.round(decay * 6 * SAMPLE_RATE));
  const k = Math.exp(-1 / (decay * SAMPLE_RATE));
  let env = 1;
  let prev = 0;
  for (let n = 0; n < out.length; n++) {
    const white = rand() * 2 - 1;
    out[n] = (white - prev * bright) * env;
    prev = white;
    env *= k;
  }
  return out;
}

/** Mixes a pre-rendered one-shot into the bus: drums are the same few samples, replayed. */
export function addSample(bus: Bus, sample: Float32Array, start: number, gain: number, pan = 0): void {
  const s0 = Math.round(start * SAMPLE_RATE);
  const len = Math.min(bus.l.length - s0, sample.length);
  const gl = gain * Math.cos(((pan + 1) * Math.PI) / 4);
  const gr = gain * Math.sin(((pan + 1) * Math.PI) / 4);
  for (let n = 0; n < len; n++) {
    bus.l[s0 + n]! += sample[n]! * gl;
    bus.r[s0 + n]! += sample[n]! * gr;
  }
}

/** Ping-pong feedback delay: cheap space for pads and plucks (no convolution reverb needed). */
export function pingPong(bus: Bus, delayS: number, feedback: number, mix: number): void {
  const d = Math.max(1, Math.round(delayS * SAMPLE_RATE));
  // Two ring buffers feeding each other: echoes alternate left, right, left...
  const dl = new Float32Array(d);
  const dr = new Float32Array(d);
  let idx = 0;
  let lp = 0;
  for (let i = 0; i < bus.l.length; i++) {
    const wl = dl[idx]!;
    const wr = dr[idx]!;
    // A one-pole low-pass in the loop darkens each repeat, like a tape echo.
    lp += 0.35 * ((bus.l[i]! + bus.r[i]!) * 0.5 + wr * feedback - lp);
    dl[idx] = lp;
    dr[idx] = wl * feedback;
    bus.l[i]! += wl * mix;
    bus.r[i]! += wr * mix;
    if (++idx === d) idx = 0;
  }
}
