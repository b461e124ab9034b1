import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NonRetryableError, PredictionFailedError } from '../../../errors.ts';
import type { GenContext, Job, Tts, TtsInput } from '../ports.ts';
import { createOpenAiClient, mapOpenAiError, type OpenAiOptions } from './client.ts';

export interface OpenAiTtsOptions extends OpenAiOptions {
  /** OPENAI_TTS_MODEL, default gpt-4o-mini-tts. */
  ttsModel: string;
  /** OPENAI_TTS_VOICE, default coral. */
  ttsVoice: string;
}

/** The built-in voices of `audio.speech.create` (openai 6.x SpeechCreateParams). */
export const OPENAI_VOICES = [
  'alloy',
  'ash',
  'ballad',
  'coral',
  'echo',
  'fable',
  'nova',
  'onyx',
  'sage',
  'shimmer',
  'verse',
  'marin',
  'cedar',
] as const;

/**
 * USD per character of input, as list prices translate (about 150 words, ~900 characters, per
 * minute): gpt-4o-mini-tts is billed by tokens at roughly $0.015 a minute of speech, tts-1 at
 * $15 and tts-1-hd at $30 per million characters. An estimate for the storyboard's cost line.
 */
const USD_PER_CHAR: Record<string, number> = {
  'gpt-4o-mini-tts': 0.015 / 900,
  'tts-1': 15e-6,
  'tts-1-hd': 30e-6,
};

/** A 30 s ad's lines are a few hundred bytes of WAV a second: far below this, a bad answer above. */
const MAX_AUDIO_BYTES = 20 * 1024 * 1024;

/** WAV (RIFF....WAVE) is what we ask for; anything else is not what the API promises. */
function isWav(b: Buffer): boolean {
  return b.length > 44 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WAVE';
}

const fileOf = (ctx: GenContext) => path.join(ctx.outDir, `${ctx.fileStem}.wav`);

/**
 * OpenAI's speech endpoint answers the create with the audio itself: `submit` is the paid call
 * and writes the file (temp name, then rename, so a crash never leaves half a file under the
 * final name); `collect` hands that file on. A crash between the two keeps the file, so the
 * resumed collect finds it; only a crash during the call itself pays again (there is no job to
 * look up). WAV, not MP3: no decoder padding, so the measured length is the spoken length.
 */
export function createOpenAiTts(cfg: OpenAiTtsOptions): Tts {
  const client = createOpenAiClient(cfg);
  const secrets = [cfg.apiKey];
  const perChar = USD_PER_CHAR[cfg.ttsModel] ?? USD_PER_CHAR['gpt-4o-mini-tts']!;
  const estimateUsd = (input: TtsInput) => Math.round(input.text.length * perChar * 1e6) / 1e6;
  const voices: readonly string[] = (OPENAI_VOICES as readonly string[]).includes(cfg.ttsVoice)
    ? OPENAI_VOICES
    : [cfg.ttsVoice, ...OPENAI_VOICES];
  return {
    model: cfg.ttsModel,
    voices,
    defaultVoice: cfg.ttsVoice,
    estimateUsd,
    async submit(input: TtsInput, ctx: GenContext): Promise<Job> {
      let audio: Buffer;
      try {
        const res = await client.audio.speech.create(
          { model: cfg.ttsModel, voice: input.voice, input: input.text, response_format: 'wav' },
          { signal: ctx.signal, ...(ctx.idempotencyKey ? { idempotencyKey: ctx.idempotencyKey } : {}) },
        );
        audio = Buffer.from(await res.arrayBuffer());
      } catch (err) {
        // Same classes (so the engine's retry rules apply), named for what failed: the speech.
        const mapped = mapOpenAiError(err, secrets);
        mapped.message = `OpenAI speech (${cfg.ttsModel}): ${mapped.message}`;
        throw mapped;
      }
      if (audio.length > MAX_AUDIO_BYTES || !isWav(audio)) {
        throw new NonRetryableError(
          'tts_bad_audio',
          `OpenAI ${cfg.ttsModel} returned ${audio.length} bytes that are not a WAV file`,
        );
      }
      const out = fileOf(ctx);
      const tmp = `${out}.${randomBytes(4).toString('hex')}.part`;
      await writeFile(tmp, audio);
      await rename(tmp, out).catch(async (err: unknown) => {
        await rm(tmp, { force: true });
        throw err;
      });
      return { id: `speech:${ctx.fileStem}`, costUsd: estimateUsd(input) };
    },
    async collect(_job: Job, input: TtsInput, ctx: GenContext) {
      const out = fileOf(ctx);
      if (!(await stat(out).catch(() => null))) {
        throw new PredictionFailedError('prediction_gone', `the speech file ${path.basename(out)} is gone`);
      }
      return { files: [out], costUsd: estimateUsd(input) };
    },
  };
}
