import { type AudioMix, buildAudioChain } from './audio-graph.ts';
import { type AudioPlan, audioMixOf, type ComposeInput, validateComposeInput } from './compose-graph.ts';
import {
  isMeasurable,
  LOUDNESS_TARGET,
  type Loudness,
  MEASURE_ARGS,
  METER,
  measureLoudness,
  runEbur128,
} from './loudness.ts';
import { DEFAULT_BINS, type FfmpegBins } from './run.ts';

/**
 * Gains from the inputs' loudness alone are right for dense music, but a limiter pulling punchy
 * peaks down also lowers the loudness (measured: a kick-drum track landed 2.4 LU short). So the
 * mix's own audio chain is run, audio only, and measured; the miss becomes a make-up gain. Each
 * run costs a fraction of a second, and the video pass still runs once.
 */
const MAX_RUNS = 4;
/** Close enough: AAC itself moves the integrated loudness by about 0.1 LU. */
const SLACK_LU = 0.3;
/**
 * Past this the limiter would flatten the music; better a little quiet than squashed. Punchy
 * material needs a lot: each dB of make-up gained only ~0.4 LU on a kick-drum track.
 */
const MAX_MAKEUP_DB = 8;
const clampMakeup = (db: number) =>
  Math.round(Math.min(MAX_MAKEUP_DB, Math.max(-MAX_MAKEUP_DB, db)) * 100) / 100;

/**
 * Runs `mix` (its tracks' inputs numbered 0..n-1 in `paths` order; null is generated silence,
 * the stand-in for absent music under a voice-over) and measures the result.
 */
export function measureMix(
  mix: AudioMix,
  paths: readonly (string | null)[],
  bins?: FfmpegBins,
  signal?: AbortSignal,
): Promise<Loudness> {
  const args: string[] = [...MEASURE_ARGS];
  for (const p of paths) {
    if (p === null) args.push('-f', 'lavfi', '-i', 'anullsrc=r=48000:cl=stereo');
    else args.push('-protocol_whitelist', 'file', '-i', p);
  }
  const graph = `${buildAudioChain(mix)};[aout]${METER}[meter]`;
  args.push('-filter_complex', graph, '-map', '[meter]', '-f', 'null', '-progress', 'pipe:1', '-');
  return runEbur128(args, 'the audio mix', bins, signal);
}

/**
 * The make-up gain that brings `mix` onto the loudness target. Secant steps, because a limiter
 * makes loudness grow slower than the gain; only a measured make-up is ever returned (the one
 * that landed closest), so an unverified guess never reaches the video pass.
 */
export async function calibrateMakeupDb(
  mix: AudioMix,
  paths: readonly (string | null)[],
  bins?: FfmpegBins,
  signal?: AbortSignal,
): Promise<number> {
  const target = LOUDNESS_TARGET.integratedLufs;
  const tried: { makeup: number; miss: number }[] = [];
  let makeup = mix.makeupDb ?? 0;
  for (let run = 0; run < MAX_RUNS; run++) {
    const out = await measureMix({ ...mix, makeupDb: makeup }, paths, bins, signal);
    if (!isMeasurable(out)) break;
    const miss = target - out.integratedLufs;
    tried.push({ makeup, miss });
    if (Math.abs(miss) <= SLACK_LU) break;
    const prev = tried.at(-2);
    // Loudness per dB of make-up, from the last two runs; 1 before there are two, never below 0.2.
    const slope = prev && prev.makeup !== makeup ? (prev.miss - miss) / (makeup - prev.makeup) : 1;
    const next = clampMakeup(makeup + miss / Math.min(1, Math.max(0.2, slope)));
    if (next === makeup) break;
    makeup = next;
  }
  const best = tried.reduce<{ makeup: number; miss: number } | undefined>(
    (b, t) => (b === undefined || Math.abs(t.miss) < Math.abs(b.miss) ? t : b),
    undefined,
  );
  return best?.makeup ?? 0;
}

/** The measured levels compose() applies: found before the pass, or supplied by the caller. */
export type AudioGains = Pick<ComposeInput, 'musicLoudness' | 'audioMakeupDb' | 'voices'>;

/**
 * True when `input` already carries every measurement its audio chain needs (render measures
 * music and voice while the clips are still being made, audio-gains step): compose() then goes
 * straight to the video pass.
 */
export function hasAudioGains(input: AudioPlan): boolean {
  return (
    input.audioMakeupDb !== undefined &&
    (input.musicPath === undefined || input.musicLoudness !== undefined) &&
    (input.voices ?? []).every((v) => v.loudness !== undefined)
  );
}

/**
 * Everything compose() needs to know about its audio before the one video pass: each input's
 * loudness and length (gain and loop), then the make-up the limiter calls for. Nothing is run
 * when the input already carries them (hasAudioGains).
 */
export async function measureComposeAudio(
  input: ComposeInput,
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
): Promise<Partial<ComposeInput>> {
  validateComposeInput(input);
  if (hasAudioGains(input)) return {};
  if (!input.voices?.length && input.musicPath !== undefined && input.musicLoudness !== undefined) return {};
  return measureAudio(input, bins, signal);
}

/**
 * The measurements of an audio plan (its clips need only their slots): what render runs as soon
 * as music and voice exist. Always returns a make-up (0 when nothing is measurable), so the
 * result passed back into compose() counts as complete.
 */
export async function measureAudio(
  input: AudioPlan,
  bins: FfmpegBins = DEFAULT_BINS,
  signal?: AbortSignal,
): Promise<AudioGains> {
  if (input.voices?.length) return measureWithVoices(input, bins, signal);
  if (input.musicPath === undefined) return { audioMakeupDb: 0 };
  const musicLoudness = input.musicLoudness ?? (await measureLoudness(input.musicPath, bins, signal));
  if (!isMeasurable(musicLoudness)) return { musicLoudness, audioMakeupDb: 0 };
  const mix = audioMixOf({ ...input, musicLoudness }, 0);
  return { musicLoudness, audioMakeupDb: await calibrateMakeupDb(mix, [input.musicPath], bins, signal) };
}

/**
 * With a voice-over: every line is measured too (in parallel, audio only), then the whole chain
 * (gains, tempo, ducking, limiter) is calibrated like the music alone would be.
 */
async function measureWithVoices(
  input: AudioPlan,
  bins: FfmpegBins,
  signal?: AbortSignal,
): Promise<AudioGains> {
  const music = input.musicPath;
  const [musicLoudness, ...lines] = await Promise.all([
    music === undefined ? undefined : (input.musicLoudness ?? measureLoudness(music, bins, signal)),
    ...(input.voices ?? []).map((v) => v.loudness ?? measureLoudness(v.path, bins, signal)),
  ]);
  const voices = (input.voices ?? []).map((v, k) => ({ ...v, loudness: lines[k] }));
  const measured = { ...input, voices, ...(musicLoudness ? { musicLoudness } : {}) };
  const out = { voices, ...(musicLoudness ? { musicLoudness } : {}) };
  if (![musicLoudness, ...lines].some(isMeasurable)) return { ...out, audioMakeupDb: 0 };
  const mix = audioMixOf(measured, 0);
  const paths = [music ?? null, ...voices.map((v) => v.path)];
  return { ...out, audioMakeupDb: await calibrateMakeupDb(mix, paths, bins, signal) };
}
