import type { RunContext } from './engine.ts';
import { attemptIds } from './steps/generate.ts';
import type { RenderResult } from './steps/render.ts';
import type { PastVersion } from './versions.ts';

/** What one paid generation actually cost, over all its attempts (provider's figure, else the quote). */
async function stepCostUsd(rc: RunContext, stepId: string, retryRev: number): Promise<number> {
  let usd = 0;
  for (const id of attemptIds(stepId, retryRev)) {
    const submitted = await rc.peek<{ costUsd?: number | null }>(`${id}/submit`);
    if (!submitted) continue;
    const got = await rc.peek<{ costUsd?: number | null }>(`${id}/collect`);
    usd += got?.costUsd ?? submitted.costUsd ?? 0;
  }
  return usd;
}

/**
 * A version's cost: the paid steps its render used that no earlier version had used (a music
 * change costs the music, a draft → final re-compose costs nothing), from the stored steps.
 */
export async function versionCostUsd(
  rc: RunContext,
  input: { versions: PastVersion[]; retryRev: number },
  render: RenderResult,
): Promise<number> {
  const earlier = new Set<string>();
  for (const past of input.versions) {
    for (const id of (await rc.peek<RenderResult>(past.renderStep))?.paid ?? []) earlier.add(id);
  }
  let usd = 0;
  for (const id of render.paid ?? []) if (!earlier.has(id)) usd += await stepCostUsd(rc, id, input.retryRev);
  return Math.round(usd * 1e6) / 1e6;
}
