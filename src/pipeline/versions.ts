import { z } from 'zod';

/**
 * Versions of an ad: every render people ask for after the first is v2, v3 … Older versions stay
 * (their files, steps and messages are kept); the run remembers where each one's render and
 * delivery are stored, so their cost and message can still be read back.
 */
export const VersionSchema = z.object({
  n: z.number().int().min(1),
  /** One line: what differs from the version before it. */
  what: z.string().max(200),
  renderStep: z.string(),
  deliverStep: z.string(),
});
export type PastVersion = z.infer<typeof VersionSchema>;

/** What changes between versions; a structural subset of RunInput, so this file needs no cycle. */
interface Versioned {
  takeRev: number;
  musicRev: number;
  profile: string;
  storyboardRev: number;
  sceneRevs: Record<string, number>;
  versions: PastVersion[];
}

export const currentVersion = (i: Pick<Versioned, 'versions'>) => (i.versions.at(-1)?.n ?? 0) + 1;
/** The revision the video card's buttons are made on: a click on an older version's card is stale. */
export const versionRev = (i: Pick<Versioned, 'versions'>) => `v${currentVersion(i)}`;

/** "new take", "music changed", "scene 2 edited", "draft → final": derived from what differs. */
export function describeChange(before: Versioned, after: Versioned): string {
  const parts: string[] = [];
  if (after.storyboardRev !== before.storyboardRev) parts.push('new storyboard');
  else {
    const scenes = new Set([...Object.keys(before.sceneRevs), ...Object.keys(after.sceneRevs)]);
    const edited = [...scenes]
      .filter((k) => (before.sceneRevs[k] ?? 0) !== (after.sceneRevs[k] ?? 0))
      .map((k) => Number(k) + 1)
      .sort((a, b) => a - b);
    if (edited.length) parts.push(`scene${edited.length > 1 ? 's' : ''} ${edited.join(', ')} edited`);
  }
  if (after.takeRev !== before.takeRev) parts.push('new take');
  if (after.musicRev !== before.musicRev) parts.push('music changed');
  if (after.profile !== before.profile) parts.push(`${before.profile} → ${after.profile}`);
  const line = parts.join(', ') || 'rendered again';
  return line.charAt(0).toUpperCase() + line.slice(1);
}
