import type { ChatTurn } from './providers/ports.ts';

/**
 * The brief conversation sent to the LLM is bounded: the newest turns (at most `maxTurns` and
 * `maxChars` of text), plus a summary of everything older. Without it every message re-sends the
 * whole growing thread (issue 10): cost and latency grow with the conversation, and a long one
 * ends in a context-length error.
 */
export const HISTORY_LIMITS = { maxTurns: 8, maxChars: 6000, summaryChars: 1500 } as const;

export interface HistoryLimits {
  maxTurns: number;
  maxChars: number;
  summaryChars: number;
}

/**
 * Where the recent window starts: the newest turns that fit both limits, never starting with a
 * user answer cut off from its question (the answer would be read as a reply to nothing).
 * Returns 0 when everything fits.
 */
export function windowStart(turns: readonly ChatTurn[], limits: HistoryLimits = HISTORY_LIMITS): number {
  let start = turns.length;
  let chars = 0;
  while (start > 0) {
    const next = turns[start - 1]!;
    if (turns.length - (start - 1) > limits.maxTurns || chars + next.text.length > limits.maxChars) break;
    chars += next.text.length;
    start--;
  }
  if (start === turns.length) start = turns.length - 1; // the newest turn always goes
  // Begin on an assistant question when the window would open with its answer.
  while (start > 0 && start < turns.length - 1 && turns[start]!.role === 'user') start++;
  return Math.max(0, start);
}

const firstSentence = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = /^(.{1,400}?[.!?])(\s|$)/.exec(flat)?.[1] ?? flat;
  return cut.length > max ? `${cut.slice(0, max - 1)}…` : cut;
};

/**
 * A deterministic, extractive summary (offline, and when no model summary is available): what
 * the person said, oldest dropped first, within `summaryChars`. Questions are left out: the
 * answers and the brief so far carry what matters.
 */
export function extractiveSummary(
  previous: string | null,
  turns: readonly ChatTurn[],
  limits: HistoryLimits = HISTORY_LIMITS,
): string {
  const said = turns.filter((t) => t.role === 'user').map((t) => `- ${firstSentence(t.text, 200)}`);
  const lines = [...(previous ? previous.split('\n') : []), ...said];
  while (lines.length > 1 && lines.join('\n').length > limits.summaryChars) lines.shift();
  const text = lines.join('\n');
  return text.length > limits.summaryChars ? text.slice(-limits.summaryChars) : text;
}
