import type { FakeMediaKind } from './replicate-media.ts';

/**
 * The input checks a real model's schema would make (a 422 from Replicate), so the fake catches
 * adapter mistakes: flux wants 9:16 and 1-4 outputs, seedance an image and 2-12 s, musicgen <= 30 s.
 */
export function validateInput(kind: FakeMediaKind, input: Record<string, unknown>): string | undefined {
  if (typeof input.prompt !== 'string' || !input.prompt) return 'prompt: field required';
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
