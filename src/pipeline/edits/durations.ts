import { AD_SECONDS, MAX_SCENE_S, MIN_SCENE_S, type Scene } from '../schemas.ts';

/** Who gives or takes the seconds first: feature scenes are the most elastic, the hook the least. */
const GIVE_ORDER: Record<Scene['kind'], number> = { feature: 0, intro: 1, cta: 2, hook: 3 };

/**
 * New durations with scene `position` at `seconds` and the others re-balanced so the ad stays
 * 30 s and every scene 3-10 s; or why that is impossible. Deterministic: the same storyboard and
 * request always move the same seconds.
 */
export function rebalance(
  scenes: readonly Pick<Scene, 'kind' | 'durationS'>[],
  position: number,
  seconds: number,
): { ok: true; durations: number[] } | { ok: false; reason: string } {
  if (seconds < MIN_SCENE_S || seconds > MAX_SCENE_S)
    return {
      ok: false,
      reason: `A scene lasts ${MIN_SCENE_S}-${MAX_SCENE_S} s, so scene ${position + 1} can’t be ${seconds} s.`,
    };
  const durations = scenes.map((s) => s.durationS);
  durations[position] = seconds;
  let excess = durations.reduce((a, b) => a + b, 0) - AD_SECONDS;
  const others = scenes
    .map((s, i) => ({ i, rank: GIVE_ORDER[s.kind], distance: Math.abs(i - position) }))
    .filter((o) => o.i !== position)
    .sort((a, b) => a.rank - b.rank || a.distance - b.distance || a.i - b.i);
  for (const { i } of others) {
    if (excess === 0) break;
    const d = durations[i]!;
    const room = excess > 0 ? d - MIN_SCENE_S : MAX_SCENE_S - d;
    const move = Math.min(room, Math.abs(excess)) * Math.sign(excess);
    durations[i] = d - move;
    excess -= move;
  }
  if (excess !== 0)
    return {
      ok: false,
      reason:
        `Scene ${position + 1} at ${seconds} s leaves ${Math.abs(excess)} s the other scenes can’t ` +
        `${excess > 0 ? 'give up' : 'take'} while staying ${MIN_SCENE_S}-${MAX_SCENE_S} s; the ad must stay ${AD_SECONDS} s.`,
    };
  return { ok: true, durations };
}
