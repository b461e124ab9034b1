import type { Prediction, ReplicateApi } from './client.ts';

/** Server clocks differ from ours; a prediction this much "older" than our POST may still be it. */
export const CLOCK_SLACK_MS = 60_000;
/** Pages of 100 looked through at most: a busy account's older pages are not ours to find. */
const MAX_PAGES = 5;

/**
 * Inputs compared on their short values: a data URI may come back rewritten as a file URL. Keys
 * in `skip` are left out (a file a resumed process would upload anew has a new URL).
 */
export function fingerprint(input: unknown, skip: ReadonlySet<string> = new Set()): string {
  if (!input || typeof input !== 'object') return '';
  const entries = Object.entries(input as Record<string, unknown>)
    .filter(([k, v]) => {
      if (skip.has(k)) return false;
      return typeof v === 'number' || typeof v === 'boolean' || (typeof v === 'string' && v.length <= 2000);
    })
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

function sameModel(p: Prediction, model: string): boolean {
  const [ref, version] = model.split(':');
  return version ? p.version === version : p.model === ref;
}

/**
 * Live or finished predictions of this model with this input created since `sinceMs`, oldest
 * first. The list is newest first, so paging stops at the first page that reaches past `sinceMs`.
 */
export async function findCreated(
  api: ReplicateApi,
  model: string,
  input: object,
  sinceMs: number,
  signal?: AbortSignal,
  skip: ReadonlySet<string> = new Set(),
): Promise<Prediction[]> {
  const want = fingerprint(input, skip);
  const from = sinceMs - CLOCK_SLACK_MS;
  const found: Prediction[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { results, cursor: next } = await api.listPage(cursor, signal);
    for (const p of results) {
      if (
        sameModel(p, model) &&
        Date.parse(p.created_at) >= from &&
        fingerprint(p.input, skip) === want &&
        !['failed', 'canceled', 'aborted'].includes(p.status)
      )
        found.push(p);
    }
    const oldest = results.at(-1);
    if (!next || !oldest || Date.parse(oldest.created_at) < from) break;
    cursor = next;
  }
  return found.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
}
