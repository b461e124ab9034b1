import { z } from 'zod';

/**
 * What a model costs, in the unit Replicate bills it by. Defaults are public list prices at the
 * time of writing (the seedance figures are third-party); override them with REPLICATE_PRICES
 * (JSON, keyed by `owner/name`) when your account's prices differ.
 */
export const PriceSchema = z.union([
  z.object({ perImage: z.number().nonnegative() }).strict(),
  /** A flat price per file produced, whatever its length (Stable Audio bills per generation). */
  z.object({ perOutput: z.number().nonnegative() }).strict(),
  z
    .object({
      perVideoSecond: z.object({
        '480p': z.number().nonnegative().optional(),
        '720p': z.number().nonnegative().optional(),
        '1080p': z.number().nonnegative().optional(),
      }),
    })
    .strict(),
  z
    .object({
      perComputeSecond: z.number().nonnegative(),
      /** Typical compute seconds per job, for estimates before the job has run. */
      typicalComputeS: z.number().positive(),
    })
    .strict(),
]);
export type Price = z.infer<typeof PriceSchema>;
export const PriceTableSchema = z.record(z.string(), PriceSchema);
export type PriceTable = Record<string, Price>;

export type Resolution = '480p' | '720p' | '1080p';

export const DEFAULT_PRICES: PriceTable = {
  'black-forest-labs/flux-schnell': { perImage: 0.003 },
  'black-forest-labs/flux-dev': { perImage: 0.025 },
  'black-forest-labs/flux-1.1-pro': { perImage: 0.04 },
  'bytedance/seedance-1-pro-fast': { perVideoSecond: { '480p': 0.015, '720p': 0.025, '1080p': 0.06 } },
  'bytedance/seedance-1-lite': { perVideoSecond: { '480p': 0.018, '720p': 0.036, '1080p': 0.072 } },
  'bytedance/seedance-1-pro': { perVideoSecond: { '480p': 0.03, '720p': 0.06, '1080p': 0.15 } },
  // Flat per generation whatever the duration (1-190 s). $0.20 is Stability's own list price
  // (20 credits at $0.01, https://platform.stability.ai/pricing); Replicate's page shows the
  // figure it bills only when signed in, so override it with REPLICATE_PRICES if yours differs.
  'stability-ai/stable-audio-2.5': { perOutput: 0.2 },
  // Runs on an A100 (80GB), billed per second of compute; ~45 s for 30 s of stereo audio.
  'meta/musicgen': { perComputeSecond: 0.0014, typicalComputeS: 45 },
  // Runs on a T4 ($0.000225/s); a one-line read takes a few seconds of compute.
  'jaaari/kokoro-82m': { perComputeSecond: 0.000225, typicalComputeS: 3 },
};

/** `owner/name:version` and `owner/name` share one price. */
export const modelKey = (model: string) => model.split(':')[0]!;

export function priceFor(table: PriceTable, model: string): Price | undefined {
  return table[modelKey(model)];
}

/** What one job costs: images, files, seconds of video, or compute seconds, per the price. */
export function costOf(
  price: Price | undefined,
  job: { images?: number; outputs?: number; videoS?: number; res?: Resolution; computeS?: number },
) {
  if (!price) return 0;
  if ('perImage' in price) return round(price.perImage * (job.images ?? 0));
  if ('perOutput' in price) return round(price.perOutput * (job.outputs ?? 0));
  if ('perVideoSecond' in price) {
    const rate =
      price.perVideoSecond[job.res ?? '720p'] ?? Math.max(0, ...Object.values(price.perVideoSecond));
    return round(rate * (job.videoS ?? 0));
  }
  return round(price.perComputeSecond * (job.computeS ?? price.typicalComputeS));
}

/** Micro-dollars: keeps float noise out of stored costs and test comparisons. */
const round = (usd: number) => Math.round(usd * 1e6) / 1e6;

/** Replicate names video resolutions by their short side. */
export function resolutionFor(width: number, height: number): Resolution {
  const short = Math.min(width, height);
  if (short <= 480) return '480p';
  if (short <= 720) return '720p';
  return '1080p';
}
