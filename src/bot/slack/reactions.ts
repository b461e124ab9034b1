import type { ReactionKind } from '../core/ports.ts';

/**
 * Slack reaction names (not Unicode) to review meanings. `+1` stays `other`: a thumbs-up is too
 * casual to count as a storyboard approval, but it still counts as a vote on a mood card.
 */
const BY_NAME: Record<string, ReactionKind> = {
  white_check_mark: 'approve',
  heavy_check_mark: 'approve',
  ballot_box_with_check: 'approve',
  repeat: 'regenerate',
  arrows_counterclockwise: 'regenerate',
  arrows_clockwise: 'regenerate',
  x: 'cancel',
  no_entry: 'cancel',
  no_entry_sign: 'cancel',
  heavy_multiplication_x: 'cancel',
  one: 'vote-1',
  two: 'vote-2',
  three: 'vote-3',
};

export function reactionKind(name: string): ReactionKind {
  // Skin tones arrive as `name::skin-tone-2`; the base name decides.
  return BY_NAME[name.split('::')[0] ?? name] ?? 'other';
}
