import type OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import { AppError, NonRetryableError } from '../../../errors.ts';
import { describeIssues } from '../../schemas.ts';
import { answerJson } from './answer-json.ts';
import { mapOpenAiError } from './client.ts';
import { repairMessage } from './prompts.ts';

export interface LlmCall {
  client: OpenAI;
  model: string;
  secrets: readonly string[];
}

export type Check<W, D> = (wire: W) => { ok: true; value: D } | { ok: false; problem: string };

/** A domain zod schema as a check: its issues become the repair request's wording. */
export function checkWith<W, D>(schema: z.ZodType<D>, map: (w: W) => unknown = (w) => w): Check<W, D> {
  return (wire) => {
    const r = schema.safeParse(map(wire));
    return r.success ? { ok: true, value: r.data } : { ok: false, problem: describeIssues(r.error) };
  };
}

/**
 * `create`, not the SDK's `parse`: `parse` reads the content with a strict JSON.parse, which fails
 * on the fenced or prefixed JSON that OpenAI-compatible servers send (answer-json.ts).
 */
async function ask<W>(
  llm: LlmCall,
  name: string,
  wire: z.ZodType<W>,
  messages: ChatCompletionMessageParam[],
  seed?: number,
): Promise<W> {
  try {
    const completion = await llm.client.chat.completions.create({
      model: llm.model,
      messages,
      response_format: zodResponseFormat(wire, name),
      ...(seed === undefined ? {} : { seed }),
    });
    const choice = completion.choices[0];
    const message = choice?.message;
    if (message?.refusal) {
      throw new NonRetryableError('llm_refused', `The AI model declined: ${message.refusal.slice(0, 300)}`);
    }
    if (choice?.finish_reason === 'length') {
      throw new NonRetryableError(
        'llm_length',
        'The AI model ran out of room before finishing its answer; try a shorter brief.',
      );
    }
    if (choice?.finish_reason === 'content_filter') {
      throw new NonRetryableError(
        'llm_content_filter',
        "The AI model's content filter stopped the answer; try rewording the brief.",
      );
    }
    if (!message?.content) throw new AppError('llm_invalid_json', 'the AI model gave no structured answer');
    return wire.parse(answerJson(message.content));
  } catch (err) {
    throw mapOpenAiError(err, llm.secrets);
  }
}

/**
 * One structured-output call with one repair: an answer that parses but breaks a rule (31 s of
 * scenes, a bad colour) is sent back once with the problem named; a second miss is a clear,
 * non-retryable error rather than a loop of paid calls.
 */
export async function structured<W, D>(
  llm: LlmCall,
  req: {
    name: string;
    what: string;
    wire: z.ZodType<W>;
    messages: ChatCompletionMessageParam[];
    seed?: number;
  },
  check: Check<W, D>,
): Promise<D> {
  const first = await ask(llm, req.name, req.wire, req.messages, req.seed);
  const v1 = check(first);
  if (v1.ok) return v1.value;
  const retry = [
    ...req.messages,
    { role: 'assistant', content: JSON.stringify(first) } as const,
    repairMessage(v1.problem),
  ];
  const second = await ask(llm, req.name, req.wire, retry, req.seed);
  const v2 = check(second);
  if (v2.ok) return v2.value;
  throw new NonRetryableError(
    'llm_invalid_output',
    `The AI model's ${req.what} was invalid twice: ${v2.problem}`,
  );
}
