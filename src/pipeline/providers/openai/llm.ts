import { HISTORY_LIMITS } from '../../brief-history.ts';
import {
  type Brief,
  BriefSchema,
  CTA_MAX_CHARS,
  MoodsSchema,
  ScenePlanSchema,
  SceneSchema,
} from '../../schemas.ts';
import type { BriefTurn, Llm } from '../ports.ts';
import { createOpenAiClient, type OpenAiOptions } from './client.ts';
import { createOpenAiEditInterpreter } from './edit.ts';
import { briefMessages, moodsMessages, replanMessages, scenesMessages, summaryMessages } from './prompts.ts';
import { BriefTurnWire, MoodsWire, ScenePlanWire, SceneWire, SummaryWire } from './schemas.ts';
import { checkWith, type LlmCall, structured } from './structured.ts';

const FIELDS = Object.keys(BriefSchema.shape) as (keyof Brief)[];

const FALLBACK_QUESTION: Record<keyof Brief, string> = {
  product: 'What product or service is the ad for?',
  audience: 'Who should the ad speak to?',
  tone: 'How should the ad feel? A few words like "warm", "bold" or "playful" help.',
  style: 'Any visual style in mind? For example "film grain", "pastel", "neon night".',
  keyMessages: 'What one to three things must viewers remember?',
  callToAction: 'What should viewers do after watching?',
};

/** The brief is judged by our schema, not by the model's own "complete" flag. */
export function toBriefTurn(wire: BriefTurnWire): BriefTurn {
  const brief: Partial<Brief> = {};
  const missing: (keyof Brief)[] = [];
  for (const field of FIELDS) {
    const parsed = BriefSchema.shape[field].safeParse(wire.brief[field]);
    if (parsed.success) (brief as Record<string, unknown>)[field] = parsed.data;
    else missing.push(field);
  }
  const complete = missing.length === 0;
  const cta = wire.brief.callToAction?.trim() ?? '';
  // A too-long call to action is refused with the reason, so the next answer can fix it.
  const ctaTooLong =
    missing.includes('callToAction') && cta.length > CTA_MAX_CHARS
      ? `That call to action is ${cta.length} characters; the end card holds at most ${CTA_MAX_CHARS}. ` +
        'What is a shorter one, a few words like "Order today"?'
      : null;
  const question = complete ? null : ctaTooLong || wire.question?.trim() || FALLBACK_QUESTION[missing[0]!];
  return { brief, missing, complete, question };
}

/** The Llm port on OpenAI chat completions (or any compatible server) with structured outputs. */
export function createOpenAiLlm(cfg: OpenAiOptions): Llm {
  const llm: LlmCall = { client: createOpenAiClient(cfg), model: cfg.model, secrets: [cfg.apiKey] };
  return {
    model: cfg.model,
    interpretEdit: createOpenAiEditInterpreter(llm),
    briefTurn: (conversation, context) =>
      structured(
        llm,
        {
          name: 'brief_turn',
          what: 'brief',
          wire: BriefTurnWire,
          messages: briefMessages(conversation, context),
        },
        (w) => ({ ok: true, value: toBriefTurn(w) }),
      ),
    summarizeTurns: (previous, turns) =>
      structured(
        llm,
        {
          name: 'conversation_summary',
          what: 'summary',
          wire: SummaryWire,
          messages: summaryMessages(previous, turns),
        },
        // Capped whatever the model writes: the summary is re-sent with every later turn.
        (w) => ({ ok: true, value: w.summary.slice(0, HISTORY_LIMITS.summaryChars) }),
      ),
    async planMoods(brief, seed, brand) {
      const check = checkWith(MoodsSchema);
      const { moods } = await structured(
        llm,
        {
          name: 'mood_directions',
          what: 'mood directions',
          wire: MoodsWire,
          messages: moodsMessages(brief, brand),
          seed,
        },
        (w) => {
          const names = new Set(w.moods.map((m) => m.name.trim().toLowerCase()));
          if (w.moods.length === 3 && names.size < 3)
            return { ok: false, problem: 'the three mood names must differ' };
          return check(w);
        },
      );
      return moods;
    },
    planScenes: (brief, mood, seed, brand) =>
      structured(
        llm,
        {
          name: 'scene_plan',
          what: 'scene plan',
          wire: ScenePlanWire,
          messages: scenesMessages(brief, mood, brand),
          seed,
        },
        checkWith(ScenePlanSchema),
      ),
    replanScene(brief, mood, scenes, index, seed) {
      const current = scenes[index];
      if (!current) throw new RangeError(`scene ${index + 1} does not exist`);
      // Kind and length are fixed by the plan: keeping them keeps the 30 s sum intact.
      return structured(
        llm,
        {
          name: 'scene',
          what: 'scene',
          wire: SceneWire,
          messages: replanMessages(brief, mood, scenes, index),
          seed,
        },
        checkWith(SceneSchema, (w) => ({ ...w, kind: current.kind, durationS: current.durationS })),
      );
    },
  };
}
