import { MUSICGEN_PINNED } from '../../src/config-providers.ts';
import { KOKORO_PINNED } from '../../src/pipeline/providers/replicate/kokoro.ts';
import type { FakeMediaKind } from './replicate-media.ts';

/** A fake prediction's state and its JSON as Replicate shows it: pure, computed from the clock. */
/** '422' is Replicate's answer to a create whose input the model refuses (nothing is created). */
export type FaultKind = '422' | '429' | '500' | 'drop' | 'drop-after-create';
export interface Fault {
  on: 'create' | 'get' | 'download';
  kind: FaultKind;
  retryAfterS?: number;
  times?: number;
}
/**
 * Bad media a prediction can succeed with, as providers really return it: a clip cut off before
 * its `moov` atom, a faststart clip cut off mid-`mdat` (probes as whole, decodes a fraction), a
 * clip far shorter than asked, a 12 s music track for a 30 s ad.
 */
export type MediaFault = 'no-moov' | 'truncated-faststart' | 'short' | 'music-12s';
export const MEDIA_FAULTS: ReadonlySet<string> = new Set<MediaFault>([
  'no-moov',
  'truncated-faststart',
  'short',
  'music-12s',
]);
export type OutcomeStatus = 'failed' | 'aborted' | 'canceled' | 'data_removed' | MediaFault;
export interface OutcomeRule {
  match: (p: { model: string; input: Record<string, unknown> }) => boolean;
  status: OutcomeStatus;
  error?: string;
  times?: number;
}

export interface FakePrediction {
  id: string;
  model: string;
  version: string;
  kind: FakeMediaKind;
  input: Record<string, unknown>;
  createdAt: number;
  latencyMs: number;
  outcome?: { status: OutcomeStatus; error?: string };
  cancelAfterMs?: number;
  canceledAt?: number;
}

export const VERSIONS: Record<string, string> = {
  [MUSICGEN_PINNED.split(':')[1]!]: 'meta/musicgen',
  [KOKORO_PINNED.split(':')[1]!]: 'jaaari/kokoro-82m',
};

export function kindOf(model: string): FakeMediaKind | undefined {
  if (model.includes('flux')) return 'image';
  if (model.includes('seedance')) return 'video';
  if (model.includes('musicgen') || model.includes('stable-audio') || model.includes('kokoro'))
    return 'audio';
  return undefined;
}

/** `Cancel-After: 1m30s` -> ms */
export function parseDuration(v: string | undefined): number | undefined {
  if (!v) return undefined;
  let ms = 0;
  for (const m of v.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g))
    ms += Number(m[1]) * { h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'h'];
  return ms || undefined;
}

export function predictionStatus(p: FakePrediction, now = Date.now()): string {
  if (p.canceledAt !== undefined) return 'canceled';
  const elapsed = now - p.createdAt;
  if (p.cancelAfterMs !== undefined && elapsed >= p.cancelAfterMs && elapsed < p.latencyMs) return 'canceled';
  if (elapsed < Math.min(20, p.latencyMs / 4)) return 'starting';
  if (elapsed < p.latencyMs) return 'processing';
  if (!p.outcome) return 'succeeded';
  const s = p.outcome.status;
  return s === 'data_removed' || MEDIA_FAULTS.has(s) ? 'succeeded' : s;
}

export function predictionJson(p: FakePrediction, origin: string) {
  const status = predictionStatus(p);
  const removed = p.outcome?.status === 'data_removed';
  const count = p.kind === 'image' ? Number(p.input.num_outputs ?? 1) : 1;
  const ext = { image: 'png', video: 'mp4', audio: 'wav' }[p.kind];
  const urls = Array.from({ length: count }, (_, i) => `${origin}/delivery/${p.id}/output-${i}.${ext}`);
  const done = !['starting', 'processing'].includes(status);
  return {
    id: p.id,
    model: p.model,
    version: p.version,
    input: p.input,
    source: 'api',
    status,
    output: status === 'succeeded' && !removed ? (p.kind === 'image' ? urls : urls[0]) : null,
    error: status === 'failed' ? (p.outcome?.error ?? 'Prediction failed') : null,
    logs: '',
    data_removed: removed,
    created_at: new Date(p.createdAt).toISOString(),
    completed_at: done ? new Date(Math.min(Date.now(), p.createdAt + p.latencyMs)).toISOString() : undefined,
    metrics: done && status === 'succeeded' ? { predict_time: p.latencyMs / 1000 } : {},
    urls: { get: `${origin}/v1/predictions/${p.id}`, cancel: `${origin}/v1/predictions/${p.id}/cancel` },
  };
}
