import type { ReactionKind } from './ports.ts';

/** Unicode reactions (Discord, the console) to review meanings; variation selectors ignored. */
const BY_EMOJI: Record<string, ReactionKind> = {
  '✅': 'approve',
  '✔': 'approve',
  '☑': 'approve',
  '🔁': 'regenerate',
  '🔄': 'regenerate',
  '❌': 'cancel',
  '✖': 'cancel',
  '1⃣': 'vote-1',
  '2⃣': 'vote-2',
  '3⃣': 'vote-3',
};

export function reactionFromEmoji(emoji: string): ReactionKind {
  return BY_EMOJI[emoji.replace(/\uFE0F/g, '')] ?? 'other';
}
