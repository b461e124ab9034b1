import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CancelledError, NonRetryableError, PredictionFailedError } from '../../../errors.ts';
import { redactClip } from '../../../redact.ts';
import type { AsyncGen, GenContext, Job } from '../ports.ts';
import type { ModelAdapter } from './adapters.ts';
import type { Prediction, ReplicateApi } from './client.ts';
import { createPrediction } from './create.ts';
import { type DownloadPolicy, download } from './download.ts';
import { findCreated } from './find.ts';
import type { PredictionLimiter, Slot } from './limiter.ts';
import { waitForPrediction } from './poll.ts';
import { type PriceTable, priceFor } from './prices.ts';

export interface ReplicateGenDeps {
  api: ReplicateApi;
  limiter: PredictionLimiter;
  prices: PriceTable;
  download: DownloadPolicy;
  deadlineS: number;
  poll: { minMs: number; maxMs: number };
}

/** Replicate fetches data URIs inline; past this size it wants an uploaded file instead. */
const DATA_URI_MAX = 256 * 1024;
const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};

/** Stands in for a file input while matching (never sent anywhere). */
const FILE_PLACEHOLDER = 'adgen:file-input';

const CONTENT_POLICY = /nsfw|sensitive|safety|content polic|flagged|moderation|E005/i;
const BAD_INPUT = /invalid|validation|must be|not a valid|out of range|unsupported|too (long|short)/i;

/** Output URLs, whatever shape the model returns (a string, a list, or a map of them). */
export function outputUrls(output: unknown): string[] {
  if (typeof output === 'string') return [output];
  if (Array.isArray(output)) return output.flatMap(outputUrls);
  if (output && typeof output === 'object') return Object.values(output).flatMap(outputUrls);
  return [];
}

/** An AsyncGen over one Replicate model: submit creates (and pays), collect polls and downloads. */
export function createReplicateGen<I>(
  model: string,
  adapter: ModelAdapter<I>,
  deps: ReplicateGenDeps,
): AsyncGen<I> {
  const price = priceFor(deps.prices, model);
  /** Slots of predictions this process created, handed from submit to collect. */
  const held = new Map<string, Slot>();

  const fileRef = async (localPath: string, signal: AbortSignal) => {
    const type = MIME[path.extname(localPath).toLowerCase()] ?? 'application/octet-stream';
    if ((await stat(localPath)).size <= DATA_URI_MAX) {
      return `data:${type};base64,${(await readFile(localPath)).toString('base64')}`;
    }
    return deps.api.upload(await readFile(localPath), `input${path.extname(localPath)}`, type, signal);
  };

  function failure(p: Prediction, input: I): Error {
    const detail = redactClip(String(p.error ?? ''), 300) || 'no reason given';
    const billing = {
      costUsd: adapter.costUsd(input, price, { outputs: 0, predictTimeS: p.metrics?.predict_time }),
    };
    if (p.status === 'failed' && CONTENT_POLICY.test(detail)) {
      return new PredictionFailedError(
        'content_policy',
        `${model} refused this ${adapter.media}: ${detail}`,
        billing,
      );
    }
    if (p.status === 'failed' && BAD_INPUT.test(detail)) {
      return new PredictionFailedError('invalid_input', `${model} rejected the input: ${detail}`, billing);
    }
    const why = p.status === 'failed' ? `failed: ${detail}` : `was ${p.status} by Replicate`;
    return new PredictionFailedError('prediction_lost', `${model} prediction ${p.id} ${why}`, billing);
  }

  return {
    model,
    estimateUsd: (input) => adapter.estimateUsd(input, price),
    async submit(input: I, ctx: GenContext): Promise<Job> {
      // ctx.idempotencyKey is not sent: Replicate's create takes no idempotency key (its API has
      // none), so a lost answer is found again by `reconcile` instead.
      const body = await adapter.input(input, (p) => fileRef(p, ctx.signal));
      const slot = await deps.limiter.acquire(ctx.signal, ctx.priority);
      try {
        const p = await createPrediction(deps, model, body, ctx.signal);
        // Cancelled while it was being created: it is cancelled at Replicate already (create.ts).
        if (ctx.signal.aborted) slot.release();
        else held.set(p.id, slot);
        // Should collect never run (the run failed elsewhere), the slot frees itself eventually.
        setTimeout(() => slot.release(), (deps.deadlineS + 60) * 1000).unref();
        return { id: p.id, costUsd: adapter.estimateUsd(input, price) };
      } catch (err) {
        slot.release();
        throw err;
      }
    },
    /**
     * Predictions a dead process created for this input (ports.ts). File inputs are left out of
     * the match: they would be uploaded anew under another URL, and the prompt, seed and
     * settings already tell one step's prediction from another's.
     */
    async reconcile(input: I, intent, ctx) {
      const files = new Set<string>();
      const body = await adapter.input(input, async () => FILE_PLACEHOLDER);
      for (const [k, v] of Object.entries(body)) if (v === FILE_PLACEHOLDER) files.add(k);
      const found = await findCreated(deps.api, model, body, intent.createdMs, ctx.signal, files);
      return found.map((p) => ({ id: p.id, costUsd: adapter.estimateUsd(input, price) }));
    },
    async collect(job: Job, input: I, ctx: GenContext) {
      const slot = held.get(job.id) ?? deps.limiter.adopt();
      held.delete(job.id);
      let p: Prediction;
      try {
        p = await waitForPrediction(deps.api, job.id, {
          ...deps.poll,
          deadlineS: deps.deadlineS,
          signal: ctx.signal,
        });
      } finally {
        slot.release();
      }
      if (p.status === 'canceled' && ctx.signal.aborted) throw new CancelledError();
      if (p.status !== 'succeeded') throw failure(p, input);
      const urls = outputUrls(p.output);
      const predictTimeS = p.metrics?.predict_time;
      if (p.data_removed || urls.length === 0) {
        throw new PredictionFailedError(
          'prediction_gone',
          `the output of ${model} prediction ${p.id} was deleted`,
        );
      }
      const files: string[] = [];
      for (const [i, url] of urls.entries()) {
        const stem = urls.length > 1 ? `${ctx.fileStem}-${i}` : ctx.fileStem;
        try {
          files.push(
            (await download(url, { dir: ctx.outDir, stem }, adapter.media, deps.download, ctx.signal)).path,
          );
        } catch (err) {
          if (err instanceof NonRetryableError && err.code === 'download_gone') {
            throw new PredictionFailedError(
              'prediction_gone',
              `the output of ${model} prediction ${p.id} was deleted`,
            );
          }
          throw err;
        }
      }
      return {
        files,
        predictTimeS,
        costUsd: adapter.costUsd(input, price, { outputs: files.length, predictTimeS }),
      };
    },
    async cancel(job: Job) {
      await deps.api.cancel(job.id).catch(() => undefined);
      held.get(job.id)?.release();
      held.delete(job.id);
    },
  };
}
