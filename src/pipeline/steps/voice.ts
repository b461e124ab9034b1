import { CancelledError, errorMessage } from '../../errors.ts';
import { StepFailedError } from '../engine.ts';
import type { RunScope } from '../env.ts';
import { createLimiter } from '../limit.ts';
import { type Loudness, measureLoudness } from '../media/loudness.ts';
import type { Tts } from '../providers/ports.ts';
import { shortHash, stepSeed } from '../run-input.ts';
import { settleAll } from '../settle.ts';
import { fitTempo, playSeconds, voiceWindows } from '../voice/fit.ts';
import { shortenVoiceLine } from '../voice/voice-line.ts';
import { generate } from './generate.ts';
import type { StoryboardScene } from './storyboard.ts';

/** One voice line as the composer places it (and as captions and a preview can reuse it). */
export interface PlacedVoice {
  index: number;
  /** What is actually spoken: the planned line, or its shortened re-plan. */
  text: string;
  path: string;
  startS: number;
  tempo: number;
  playS: number;
  loudness: Loudness;
}

export interface VoiceOver {
  voice: string | null;
  lines: PlacedVoice[];
  /** Why the ad has no voice-over although one was asked for; shown in the thread and CLI. */
  notice: string | null;
}

const NONE: VoiceOver = { voice: null, lines: [], notice: null };

/** "made without voice-over: <reason>": the one wording the thread and the CLI show. */
export const withoutVoice = (reason: string) => `made without voice-over: ${reason}`;

/**
 * Step id of one spoken line: named by provider model, voice and text, so changing a line (or
 * the voice) re-makes only that audio, and the same line in the same voice is never paid twice.
 */
export const voiceStepId = (index: number, tts: Pick<Tts, 'model'>, voice: string, text: string) =>
  `scene-${index}/voice/${shortHash(JSON.stringify([tts.model, voice, text]))}`;

async function speak(scope: RunScope, tts: Tts, voice: string, index: number, text: string) {
  const id = voiceStepId(index, tts, voice, text);
  const input = { text, voice, seed: stepSeed(scope.input.seed, id) };
  const [file] = await generate(scope, id, tts, input, 'voice');
  if (!file) throw new Error(`scene ${index + 1}: the speech provider returned no audio`);
  // Audio only, well under a second: the length to fit, and the level compose will need.
  const loudness = await measureLoudness(file, scope.env.bins, scope.rc.signal);
  return { path: file, loudness };
}

/** One scene's line: spoken, measured, fitted; re-planned shorter once, then cut if need be. */
async function lineFor(
  scope: RunScope,
  tts: Tts,
  voice: string,
  s: StoryboardScene,
  window: { startS: number; endS: number },
): Promise<PlacedVoice> {
  const windowS = window.endS - window.startS;
  let text = s.scene.voiceLine ?? '';
  let said = await speak(scope, tts, voice, s.index, text);
  let fit = fitTempo(said.loudness.durationS, windowS);
  if (!fit.fits) {
    const shorter = shortenVoiceLine(text, said.loudness.durationS / fit.tempo, windowS);
    if (shorter && shorter !== text) {
      text = shorter;
      said = await speak(scope, tts, voice, s.index, text);
      fit = fitTempo(said.loudness.durationS, windowS);
    }
  }
  return {
    index: s.index,
    text,
    path: said.path,
    startS: window.startS,
    tempo: fit.tempo,
    playS: playSeconds(said.loudness.durationS, fit.tempo, windowS),
    loudness: said.loudness,
  };
}

/**
 * The voice-over of a storyboard, one durable step per line. It never fails the render: any
 * failure (provider down, content refused, a voice it lacks) gives an ad without voice and a
 * notice saying why. Only a cancel goes through.
 */
export async function voiceOver(scope: RunScope, scenes: StoryboardScene[]): Promise<VoiceOver> {
  const voice = scope.input.voice ?? null;
  if (!voice) return NONE;
  const tts = scope.env.providers.tts;
  if (!tts) return { ...NONE, notice: withoutVoice('no speech provider is configured') };
  if (!tts.voices.includes(voice)) {
    return { ...NONE, notice: withoutVoice(`${tts.model} has no voice "${voice}"`) };
  }
  const windows = voiceWindows(scenes.map((s) => s.scene.durationS));
  const spoken = scenes.filter((s) => (s.scene.voiceLine ?? '').trim());
  const limit = createLimiter(3);
  try {
    const lines = await settleAll(
      spoken.map((s) => limit(() => lineFor(scope, tts, voice, s, windows[s.index]!))),
    );
    return { voice, lines, notice: null };
  } catch (err) {
    if (err instanceof CancelledError || scope.rc.signal.aborted) throw err;
    // The provider's reason, not the step id it failed in: that is what people can act on.
    const cause = err instanceof StepFailedError ? err.cause : err;
    return { ...NONE, notice: withoutVoice(errorMessage(cause).slice(0, 300)) };
  }
}
