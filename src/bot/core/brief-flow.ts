import { extractiveSummary, windowStart } from '../../pipeline/brief-history.ts';
import type { BriefContext, ChatTurn } from '../../pipeline/providers/ports.ts';
import { shortHash } from '../../pipeline/run-input.ts';
import { type Brief, BriefSchema, describeIssues } from '../../pipeline/schemas.ts';
import { brandOf } from './brand-flow.ts';
import { briefCard } from './card-builders.ts';
import type { ThreadCtx } from './context.ts';
import { briefFromWords } from './edit-flow.ts';
import { EMOJI_SHORTCODE } from './ports.ts';

/** Longest message fed to the brief conversation; longer ones are cut with a note. */
export const MAX_MESSAGE_CHARS = 1500;

const EDIT_FIELDS: Record<string, keyof Brief> = {
  product: 'product',
  audience: 'audience',
  tone: 'tone',
  style: 'style',
  'visual style': 'style',
  messages: 'keyMessages',
  'key messages': 'keyMessages',
  cta: 'callToAction',
  'call to action': 'callToAction',
};
const LIST_FIELDS: (keyof Brief)[] = ['tone', 'style', 'keyMessages'];

export const EDIT_HINT =
  'Reply with the change in words, e.g. “make the audience students in Berlin”, or as `field: value`, ' +
  'e.g. `tone: playful, bold`. Fields: product, audience, tone, style, messages, cta.';

/** `tone: playful, bold` -> a brief with that field replaced, or null when it is not an edit. */
export function parseEdit(text: string, brief: Brief): Brief | null {
  const m = /^\s*([a-z ]{2,20}?)\s*[:=]\s*([\s\S]+)$/i.exec(text);
  const field = m ? EDIT_FIELDS[m[1]!.trim().toLowerCase()] : undefined;
  if (!m || !field) return null;
  const raw = m[2]!.trim();
  const value = LIST_FIELDS.includes(field)
    ? raw
        .split(field === 'keyMessages' ? /\s*[;\n|]\s*/ : /\s*[,;\n]\s*/)
        .filter(Boolean)
        .slice(0, field === 'keyMessages' ? 3 : 6)
    : raw;
  const next = BriefSchema.safeParse({ ...brief, [field]: value });
  return next.success ? next.data : null;
}

/** Text people type, made safe to feed on: trimmed, capped, and with a note when cut. */
export function cleanInput(text: string): { text: string; truncated: boolean; meaningful: boolean } {
  const trimmed = text.trim();
  const truncated = trimmed.length > MAX_MESSAGE_CHARS;
  const cut = truncated ? trimmed.slice(0, MAX_MESSAGE_CHARS) : trimmed;
  // Shortcodes are letters to a regex but emoji to people: `:tada: :+1:` says nothing.
  const words = cut.replace(EMOJI_SHORTCODE, ' ');
  return { text: cut, truncated, meaningful: /[\p{L}\p{N}]/u.test(words) };
}

/** Posts the brief for confirmation; only the newest brief card's Confirm counts. */
async function showBrief(t: ThreadCtx, brief: Brief): Promise<void> {
  const rev = `b-${shortHash(JSON.stringify(brief)).slice(0, 8)}`;
  await t.post(briefCard(brief, await brandOf(t)), 0, rev);
  await t.save((s) => {
    s.stage = 'brief_review';
    s.briefRev = rev;
  });
}

/** Turns folded into the summary per call: each summary request stays small too. */
const SUMMARY_CHUNK = 4;

/**
 * The conversation as the LLM gets it: the recent window, and once there is more, a summary of
 * the older turns (kept in the thread state and extended only by the turns that left the window).
 */
export async function boundedConversation(
  t: ThreadCtx,
): Promise<{ window: ChatTurn[]; context?: BriefContext }> {
  const turns = t.state.turns;
  const start = windowStart(turns);
  if (start === 0) return { window: turns };
  let { upTo, summary } = t.state.history ?? { upTo: 0, summary: '' };
  const llm = t.deps.llm;
  while (upTo < start) {
    const chunk = turns.slice(upTo, Math.min(start, upTo + SUMMARY_CHUNK));
    summary = llm.summarizeTurns
      ? await llm.summarizeTurns(summary || null, chunk)
      : extractiveSummary(summary || null, chunk);
    upTo += chunk.length;
  }
  await t.save((s) => {
    s.history = { upTo, summary };
  });
  return { window: turns.slice(start), context: { summary, known: t.state.brief } };
}

/** Asks the LLM for the next question, or shows the finished brief for confirmation. */
export async function advanceBrief(t: ThreadCtx): Promise<void> {
  const { window, context } = await boundedConversation(t);
  const turn = await t.deps.llm.briefTurn(window, context);
  // The brand kit's call to action stands in when the conversation has none.
  const cta = turn.brief.callToAction ? null : (await brandOf(t))?.callToAction;
  const brief = cta ? { ...turn.brief, callToAction: cta } : turn.brief;
  await t.save((s) => {
    s.brief = brief;
  });
  const full = BriefSchema.safeParse(brief);
  const onlyCtaMissing = cta && turn.missing.every((m) => m === 'callToAction');
  if ((turn.complete || onlyCtaMissing) && full.success) return showBrief(t, full.data);
  const question =
    turn.question ?? `I still need: ${full.success ? turn.missing.join(', ') : describeIssues(full.error)}`;
  await t.post({ kind: 'text', text: question });
  await t.save((s) => {
    s.turns.push({ role: 'assistant', text: question });
  });
}

/** A thread reply while the brief is being written or reviewed. */
export async function onBriefMessage(t: ThreadCtx, rawText: string): Promise<void> {
  const input = cleanInput(rawText);
  if (!input.meaningful) {
    await t.say('I need a few words to work with: emoji alone don’t tell me enough. Try a short sentence.');
    return;
  }
  if (input.truncated) await t.say(`That was long; I used the first ${MAX_MESSAGE_CHARS} characters.`);
  if (t.state.stage === 'brief_review') {
    const current = BriefSchema.safeParse(t.state.brief);
    let edited = current.success ? parseEdit(input.text, current.data) : null;
    if (!edited && current.success) {
      // Not `field: value`: read it as words ("make the audience Gen Z gamers", edit-flow.ts).
      const words = await briefFromWords(t, current.data, input.text);
      if (typeof words === 'string') return void (await t.say(`${words}\n${EDIT_HINT}`));
      await t.say(`✏️ ${words.summary}.`);
      edited = words.brief;
    }
    if (!edited) {
      await t.say(EDIT_HINT);
      return;
    }
    await t.save((s) => {
      s.brief = edited;
      s.turns.push({ role: 'user', text: input.text });
    });
    return showBrief(t, edited);
  }
  await t.save((s) => {
    s.turns.push({ role: 'user', text: input.text });
  });
  await advanceBrief(t);
}
