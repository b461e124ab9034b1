import { createHash } from 'node:crypto';
import type { StepInfo } from '../engine.ts';
import type { RunScope } from '../env.ts';
import type { AsyncGen, GenContext, Job } from '../providers/ports.ts';
import { describeStep } from '../step-names.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The same for every attempt and every process: derived, so it survives losing the intent row. */
export const createNonce = (runId: string, stepId: string) => sha256(`${runId}\n${stepId}`).slice(0, 32);

/**
 * The body of a paid `submit` step, exactly once across crashes:
 *   1. the intent (step, stable nonce, input hash, time) is stored BEFORE the create is sent;
 *   2. the prediction id is stored on the intent the moment it comes back;
 *   3. a resumed step whose intent has no id (its process died between 1 and 2) first asks the
 *      provider for predictions made since the intent and adopts one; only when none exists is
 *      it created again.
 * What remains: a create that reached the provider but is not yet visible when we look is paid
 * twice (Replicate has no idempotency key; README "Architecture").
 */
export async function paidSubmit<I>(
  scope: RunScope,
  stepId: string,
  gen: AsyncGen<I>,
  input: I,
  ctx: GenContext,
  info: StepInfo,
): Promise<Job> {
  const { env, rc } = scope;
  const intents = env.intents;
  const estimate = () => ({ costUsd: gen.estimateUsd?.(input) ?? 0 });
  const prior = await intents.get(rc.runId, stepId);
  if (prior?.externalId) return { id: prior.externalId, ...estimate() };
  // Spend control: the estimate is reserved (and checked against the budgets) before the intent
  // and the create; a refusal pauses the run here, with nothing paid for this step.
  const costUsd = estimate().costUsd;
  if (env.spend && costUsd > 0) {
    const who = { user: scope.input.requester, workspace: scope.input.workspace };
    await env.spend.reserve(rc.runId, stepId, who, costUsd, describeStep(stepId));
  }
  const intent =
    prior ??
    (await intents.open({
      runId: rc.runId,
      stepId,
      kind: 'create',
      nonce: createNonce(rc.runId, stepId),
      inputHash: sha256(`${gen.model}\n${JSON.stringify(input)}`),
      // A step left running from before intents existed: anything since the run began may be it.
      createdMs: info.interrupted
        ? Date.parse((await env.runs.get(rc.runId))?.createdAt ?? '') || 0
        : Date.now(),
    }));
  // An open intent from an earlier attempt or process means a create may already be paid for.
  if ((prior || info.interrupted) && gen.reconcile) {
    const found = await gen.reconcile(input, intent, ctx);
    const adopted = await intents.adoptFirstUnclaimed(
      rc.runId,
      stepId,
      found.map((j) => j.id),
    );
    if (adopted) return { ...estimate(), ...found.find((j) => j.id === adopted)! };
  }
  const job = await gen.submit(input, { ...ctx, idempotencyKey: intent.nonce });
  await intents.settle(rc.runId, stepId, job.id);
  return job;
}
