import type { FakeMediaKind } from './replicate-media.ts';

/**
 * The input checks a real model's schema would make (a 422 from Replicate), so the fake catches
 * adapter mistakes: flux wants 9:16 and 1-4 outputs, seedance an image and 2-12 s, musicgen <= 30 s,
 * stable-audio its own field names.
 */
export function validateInput(
  kind: FakeMediaKind,
  input: Record<string, unknown>,
  model = '',
): string | undefined {
  if (model.startsWith('jaaari/kokoro')) return validateKokoro(input);
  if (typeof input.prompt !== 'string' || !input.prompt) return 'prompt: field required';
  if (model.startsWith('stability-ai/stable-audio')) return validateStableAudio(input);
  if (kind === 'image') {
    if (input.aspect_ratio !== '9:16')
      return `aspect_ratio: expected 9:16, got ${String(input.aspect_ratio)}`;
    const n = Number(input.num_outputs ?? 1);
    if (!Number.isInteger(n) || n < 1 || n > 4) return 'num_outputs: must be between 1 and 4';
  }
  if (kind === 'video') {
    const image = String(input.image ?? '');
    if (!/^(data:image\/(png|jpeg|webp);base64,|https?:\/\/)/.test(image))
      return 'image: must be a URL or data URI';
    const d = Number(input.duration);
    if (!Number.isInteger(d) || d < 2 || d > 12) return 'duration: must be an integer between 2 and 12';
    if (!['480p', '720p', '1080p'].includes(String(input.resolution)))
      return 'resolution: not a valid choice';
  }
  if (kind === 'audio') {
    const d = Number(input.duration);
    if (!Number.isInteger(d) || d < 1 || d > 30) return 'duration: must be at most 30';
  }
  return undefined;
}

/**
 * stability-ai/stable-audio-2.5's documented input schema (replicate.com/stability-ai/
 * stable-audio-2.5/api): prompt, duration 1-190 (integer), steps 4-8, cfg_scale 1-25, seed.
 * Unknown fields are refused here, on purpose stricter than Replicate: Replicate silently drops
 * them (replicate/cog#2943), so a misspelt `duration` would quietly buy the default 190 s track.
 */
const STABLE_AUDIO_FIELDS = new Set(['prompt', 'duration', 'steps', 'cfg_scale', 'seed']);

function validateStableAudio(input: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(input).find((k) => !STABLE_AUDIO_FIELDS.has(k));
  if (unknown) return `${unknown}: not a field of this model`;
  const intIn = (v: unknown, lo: number, hi: number) =>
    Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi;
  if (input.duration !== undefined && !intIn(input.duration, 1, 190))
    return 'duration: must be an integer between 1 and 190';
  if (input.steps !== undefined && !intIn(input.steps, 4, 8)) return 'steps: must be between 4 and 8';
  const cfg = input.cfg_scale;
  if (cfg !== undefined && (typeof cfg !== 'number' || cfg < 1 || cfg > 25))
    return 'cfg_scale: must be between 1 and 25';
  if (input.seed !== undefined && !Number.isInteger(input.seed)) return 'seed: must be an integer';
  return undefined;
}

/**
 * jaaari/kokoro-82m's input schema (replicate.com/jaaari/kokoro-82m/api): `text` (required),
 * `voice` (default af_bella), `speed` 0.1-5. Unknown fields refused, as for stable-audio.
 */
const KOKORO_FIELDS = new Set(['text', 'voice', 'speed']);

function validateKokoro(input: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(input).find((k) => !KOKORO_FIELDS.has(k));
  if (unknown) return `${unknown}: not a field of this model`;
  if (typeof input.text !== 'string' || !input.text.trim()) return 'text: field required';
  if (input.voice !== undefined && !/^[abefhijpz][fm]_[a-z]+$/.test(String(input.voice)))
    return 'voice: not a valid choice';
  const speed = input.speed;
  if (speed !== undefined && (typeof speed !== 'number' || speed < 0.1 || speed > 5))
    return 'speed: must be between 0.1 and 5';
  return undefined;
}
