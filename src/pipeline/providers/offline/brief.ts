import type { Brief } from '../../schemas.ts';
import type { BriefTurn, ChatTurn } from '../ports.ts';
import {
  audienceHint,
  classifyAnswer,
  defaultFor,
  isGreeting,
  parseProduct,
  splitKeywords,
  splitMessages,
} from './brief-parse.ts';
import { clampText } from './common.ts';

/** The fixed, friendly order of the interview: one question per missing field. */
export const BRIEF_ORDER: (keyof Brief)[] = [
  'product',
  'audience',
  'tone',
  'style',
  'keyMessages',
  'callToAction',
];

const SKIP_NOTE = ' (Say "skip" and I\'ll choose for you.)';

/**
 * Each question carries a marker phrase so a later turn can tell which field an answer belongs
 * to, even if the adapter re-sent or reordered questions.
 */
interface Question {
  lead: string;
  ask: (b: Partial<Brief>) => string;
  marker: RegExp;
  hint: string;
  skippable: boolean;
}

const QUESTIONS: Record<keyof Brief, Question> = {
  product: {
    lead: 'Hi! ',
    ask: () => 'What are we advertising? Tell me the product or idea in a sentence.',
    marker: /what are we advertising/i,
    hint: '"a cold brew coffee subscription for remote workers"',
    skippable: false,
  },
  audience: {
    lead: 'Great! ',
    ask: (b) => {
      const hint = b.product ? audienceHint(b.product) : null;
      return `Who is it for? Describe the audience${hint ? ` (e.g. "${hint}")` : ''}.`;
    },
    marker: /who is it for/i,
    hint: '"busy parents in their 30s"',
    skippable: true,
  },
  tone: {
    lead: 'Got it. ',
    ask: () => 'How should it feel? Give me two or three tone words, like warm, playful, confident.',
    marker: /how should it feel/i,
    hint: '"warm, playful, confident"',
    skippable: true,
  },
  style: {
    lead: 'Nice. ',
    ask: () => 'What visual style do you picture? A few keywords, like minimal, neon, film grain.',
    marker: /what visual style/i,
    hint: '"minimal, pastel, natural light"',
    skippable: true,
  },
  keyMessages: {
    lead: 'Lovely. ',
    ask: () => 'What are the one to three key messages? One per line, or separated by semicolons.',
    marker: /key messages/i,
    hint: '"Fresh every week; Cancel anytime"',
    skippable: true,
  },
  callToAction: {
    lead: 'Last one: ',
    ask: () => 'what should viewers do at the end? (e.g. "Start your free trial")',
    marker: /what should viewers do/i,
    hint: '"Order your first box"',
    skippable: true,
  },
};

function questionFor(
  field: keyof Brief,
  brief: Partial<Brief>,
  retry: 'unreadable' | 'product-skip' | null,
): string {
  const q = QUESTIONS[field];
  const core = q.ask(brief);
  const note = q.skippable ? SKIP_NOTE : '';
  if (!retry) return `${q.lead}${core}${note}`;
  const why =
    retry === 'unreadable'
      ? "Sorry, I couldn't read that as words."
      : 'I need at least a product or idea to work from.';
  const example = core.includes('(e.g.') ? '' : ` For example: ${q.hint}.`;
  return `${why} ${core.charAt(0).toUpperCase()}${core.slice(1)}${example}${note}`;
}

function missingFields(brief: Partial<Brief>): (keyof Brief)[] {
  return BRIEF_ORDER.filter((f) => brief[f] === undefined);
}

/** Which field the assistant turn asked about; falls back to the first missing field. */
function askedField(
  assistantText: string | undefined,
  brief: Partial<Brief>,
  replaying = false,
): keyof Brief | undefined {
  const missing = missingFields(brief);
  if (assistantText) {
    const hit = BRIEF_ORDER.find((f) => QUESTIONS[f].marker.test(assistantText));
    // Replaying a recent window over a known brief, an answer still belongs to its question.
    if (hit && (replaying || missing.includes(hit))) return hit;
  }
  return missing[0];
}

function fill(brief: Partial<Brief>, field: keyof Brief, text: string): void {
  switch (field) {
    case 'product':
      brief.product = parseProduct(text);
      break;
    case 'audience':
      // "It's for busy parents" -> "busy parents": the lead-in would read oddly in headlines.
      brief.audience = clampText(
        text.replace(
          /^(?:it'?s |it is |this is |they'?re )?(?:for|aimed at|targeting|targeted at)\s+/i,
          '',
        ) || text,
        300,
      );
      break;
    case 'callToAction':
      brief.callToAction = clampText(text.replace(/^["'“]+|["'”]+$/g, ''), 120);
      break;
    case 'tone': {
      const words = splitKeywords(text, 6, 40);
      if (words.length) brief.tone = words;
      break;
    }
    case 'style': {
      const words = splitKeywords(text, 8, 40);
      if (words.length) brief.style = words;
      break;
    }
    case 'keyMessages': {
      const msgs = splitMessages(text, 3, 200);
      if (msgs.length) brief.keyMessages = msgs;
      break;
    }
  }
}

function setDefault(brief: Partial<Brief>, field: keyof Brief): void {
  // Without a product there is nothing to derive defaults from, so "skip" cannot fill it.
  if (field === 'product' || !brief.product) return;
  (brief as Record<string, unknown>)[field] = defaultFor(field, brief.product);
}

/**
 * Replays the whole conversation each time (the port passes the full history), so the result
 * depends only on the turns: a restarted bot reaches the same brief from the same thread.
 */
export function interview(conversation: readonly ChatTurn[], known?: Partial<Brief>): BriefTurn {
  // A bounded conversation (brief-history.ts) replays its recent turns over the brief so far.
  const brief: Partial<Brief> = { ...known };
  const replaying = known !== undefined;
  let lastAssistant: string | undefined;
  let retry: { field: keyof Brief; reason: 'unreadable' | 'product-skip' } | null = null;
  let sawUser = false;
  for (const turn of conversation) {
    if (turn.role === 'assistant') {
      lastAssistant = turn.text;
      continue;
    }
    const firstUser = !sawUser;
    sawUser = true;
    const field = askedField(lastAssistant, brief, replaying);
    lastAssistant = undefined;
    if (!field) continue;
    retry = null;
    // An opening "hi" is a greeting, not a product; answer it with the first question.
    if (firstUser && !replaying && field === 'product' && isGreeting(turn.text)) continue;
    const answer = classifyAnswer(turn.text);
    if (answer.kind === 'unreadable') retry = { field, reason: 'unreadable' };
    else if (answer.kind === 'defer') {
      if (field === 'product' || !brief.product) retry = { field, reason: 'product-skip' };
      else setDefault(brief, field);
    } else {
      fill(brief, field, answer.text);
      if (brief[field] === undefined) retry = { field, reason: 'unreadable' };
    }
  }
  const missing = missingFields(brief);
  const next = missing[0];
  const question = next ? questionFor(next, brief, retry?.field === next ? retry.reason : null) : null;
  return { brief, missing, complete: missing.length === 0, question };
}
