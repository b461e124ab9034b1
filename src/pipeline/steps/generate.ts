import fs from 'node:fs/promises';
import { CancelledError, PredictionFailedError, RESUBMIT_CODES } from '../../errors.ts';
import { StepFailedError } from '../engine.ts';
import type { RunScope } from '../env.ts';
import { runDir } from '../env.ts';
import { fileDigest } from '../hash-file.ts';
import { collectGroup, trackCollect } from '../media/check-siblings.ts';
import { checkCollected, isMediaRejected } from '../media/collect-check.ts';
import type { AsyncGen, GenContext, Job } from '../providers/ports.ts';
import type { AssetKind } from '../stores.ts';
import { filesHere, type StoredCollect } from './local-media.ts';
import { paidSubmit } from './paid-submit.ts';

/** Suffix of the one extra prediction made when the first one's output is gone or unusable. */
export const RESUBMIT_SUFFIX = '/again';

function shouldResubmit(err: unknown): boolean {
  const cause = err instanceof StepFailedError ? err.cause : err;
  return (cause instanceof PredictionFailedError && RESUBMIT_CODES.has(cause.code)) || isMediaRejected(err);
}

/**
 * A paid generation as two durable steps (ARCHITECTURE.md example 6): `submit` returns the job id
 * and it is stored in the same transaction as the step result, so a crash while waiting makes the
 * resumed run collect that same job instead of paying for another. `collect` downloads and hashes
 * the files and records them as assets, again atomically with its step result.
 *
 * When the provider says the job's output is gone (Replicate deletes outputs after an hour, or
 * aborted the job before it ran), or its file fails the decode check (truncated, too short), the
 * job is made once more under a new step id, so both predictions stay on record with their own
 * cost. A second loss reaches the user with the plain reason; a bad file is never stored as done.
 */
export async function generate<I>(
  scope: RunScope,
  stepId: string,
  gen: AsyncGen<I>,
  input: I,
  kind: AssetKind,
): Promise<string[]> {
  // Whichever attempt made the files (a retry round included), they are made: never pay again.
  const made = await collected(scope.rc, stepId, scope.input.retryRev);
  if (made) {
    const here = await filesHere(scope, made, gen, input, kind);
    if (here !== 'gone') return here;
    // Made by another worker and expired at the provider: the one generation paid again.
    if (!made.id.endsWith(REFETCH_SUFFIX))
      return attempt(scope, `${made.id}${REFETCH_SUFFIX}`, gen, input, kind);
    throw new PredictionFailedError(
      'prediction_gone',
      `the output of ${made.id} is gone and was already made again`,
    );
  }
  try {
    return await attempt(scope, stepId, gen, input, kind);
  } catch (err) {
    if (!shouldResubmit(err)) throw err;
    try {
      return await attempt(scope, `${stepId}${RESUBMIT_SUFFIX}`, gen, input, kind);
    } catch (again) {
      // After a second loss, "Try again" is the person agreeing to pay once more: each retry
      // round gets its own step id, or the retry would only poll the same dead predictions.
      const round = scope.input.retryRev;
      if (!round || !shouldResubmit(again)) throw again;
      return attempt(scope, `${stepId}/retry-${round}`, gen, input, kind);
    }
  }
}

/** Every step id a generation may have stored its files under, newest attempt last. */
export function attemptIds(stepId: string, retryRev: number): string[] {
  const retries = Array.from({ length: retryRev }, (_, k) => `${stepId}/retry-${k + 1}`);
  return [stepId, `${stepId}${RESUBMIT_SUFFIX}`, ...retries];
}

/** An attempt made again on another worker because its output had expired (local-media.ts). */
export const REFETCH_SUFFIX = '/refetch';

/** The stored result of a generation's collect step, whichever attempt made it (a re-make first). */
export async function collected(
  rc: RunScope['rc'],
  stepId: string,
  retryRev: number,
): Promise<StoredCollect | undefined> {
  for (const id of attemptIds(stepId, retryRev)) {
    for (const at of [`${id}${REFETCH_SUFFIX}`, id]) {
      const c = await rc.peek<{ files: StoredCollect['files'] }>(`${at}/collect`);
      if (c) return { id: at, files: c.files };
    }
  }
  return undefined;
}

async function attempt<I>(
  scope: RunScope,
  stepId: string,
  gen: AsyncGen<I>,
  input: I,
  kind: AssetKind,
): Promise<string[]> {
  const { rc, env } = scope;
  const outDir = runDir(env, rc.runId);
  await fs.mkdir(outDir, { recursive: true });
  const ctx: GenContext = {
    outDir,
    fileStem: stepId.replace(/[^a-zA-Z0-9.-]+/g, '-'),
    signal: rc.signal,
    priority: Date.parse((await env.runs.get(rc.runId))?.createdAt ?? '') || Date.now(),
  };
  const job = await rc.step<Job>(
    `${stepId}/submit`,
    (info) => paidSubmit(scope, stepId, gen, input, ctx, info),
    {
      alsoWrite: (j, runs) =>
        runs.recordSubmit({
          runId: rc.runId,
          stepId,
          model: gen.model,
          providerId: j.id,
          costUsd: j.costUsd ?? 0,
        }),
    },
  );
  const collected = await rc
    .step(
      `${stepId}/collect`,
      async () => {
        const group = collectGroup(rc.runId, kind);
        const collecting = trackCollect(group);
        const out = await gen.collect(job, input, ctx).finally(collecting);
        const media = await checkCollected(out.files, stepId, kind, input, env.bins, rc.signal, group);
        const files = await Promise.all(
          out.files.map(async (file) => ({ path: file, ...(await fileDigest(file)) })),
        );
        return { files, media, predictTimeS: out.predictTimeS ?? null, costUsd: out.costUsd ?? null };
      },
      {
        alsoWrite: async (c, runs) => {
          for (const f of c.files) await runs.recordAsset({ runId: rc.runId, stepId, kind, ...f });
          await runs.finishPrediction(rc.runId, stepId, 'succeeded', {
            predictTimeS: c.predictTimeS ?? undefined,
            costUsd: c.costUsd ?? undefined,
          });
        },
      },
    )
    .catch(async (err: unknown) => {
      if (!(err instanceof CancelledError)) {
        const cause = err instanceof StepFailedError ? err.cause : err;
        const billing = cause instanceof PredictionFailedError ? cause.billing : {};
        await env.runs.finishPrediction(rc.runId, stepId, 'failed', billing);
      }
      throw err;
    });
  return collected.files.map((f) => f.path);
}
