import OpenAI from 'openai';
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from 'openai/error';
import { AppError, CancelledError, NonRetryableError, RetryAfterError } from '../../../errors.ts';
import { registerSecrets } from '../../../redact.ts';
import { redact } from '../redact.ts';

export interface OpenAiOptions {
  apiKey: string;
  /** Any OpenAI-compatible server (vLLM, Ollama, llama.cpp) that supports json_schema. */
  baseURL?: string;
  model: string;
  maxRetries: number;
  timeoutMs: number;
}

export function createOpenAiClient(cfg: OpenAiOptions): OpenAI {
  registerSecrets(cfg.apiKey);
  return new OpenAI({
    apiKey: cfg.apiKey,
    baseURL: cfg.baseURL,
    maxRetries: cfg.maxRetries,
    timeout: cfg.timeoutMs,
  });
}

function retryAfterMs(headers: Headers | undefined): number {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const s = Number(headers?.get('retry-after'));
  if (Number.isFinite(s) && s > 0) return s * 1000;
  return 2_000;
}

/**
 * SDK errors -> our error classes, so the engine's retry rules apply and users read a plain
 * reason. Messages pass through `redact`: OpenAI's 401 text quotes part of the key.
 */
export function mapOpenAiError(err: unknown, secrets: readonly string[]): Error {
  if (err instanceof AppError) return err;
  if (err instanceof APIUserAbortError) return new CancelledError();
  if (err instanceof LengthFinishReasonError) {
    return new NonRetryableError(
      'llm_length',
      'The AI model ran out of room before finishing its answer; try a shorter brief.',
    );
  }
  if (err instanceof ContentFilterFinishReasonError) {
    return new NonRetryableError(
      'llm_content_filter',
      "The AI model's content filter stopped the answer; try rewording the brief.",
    );
  }
  if (err instanceof APIConnectionError) {
    return new AppError('llm_unavailable', `could not reach the AI model: ${redact(err.message, secrets)}`);
  }
  if (err instanceof APIError) {
    const detail = redact(err.message, secrets);
    const code = (err.error as { code?: string } | undefined)?.code ?? err.code;
    if (err.status === 429 && code === 'insufficient_quota') {
      return new NonRetryableError('llm_quota', 'The OpenAI account is out of quota; check billing.');
    }
    if (err.status === 429)
      return new RetryAfterError(
        retryAfterMs(err.headers as Headers | undefined),
        `AI model rate limited: ${detail}`,
      );
    if (err.status === 401 || err.status === 403) {
      return new NonRetryableError(
        'llm_auth',
        `The AI service rejected the API key (check OPENAI_API_KEY): HTTP ${err.status}`,
      );
    }
    if (err.status === 404)
      return new NonRetryableError('llm_model', `The AI model was not found (check OPENAI_MODEL): ${detail}`);
    if (
      err.status !== undefined &&
      err.status >= 400 &&
      err.status < 500 &&
      err.status !== 408 &&
      err.status !== 409
    ) {
      return new NonRetryableError('llm_bad_request', `The AI service refused the request: ${detail}`);
    }
    return new AppError('llm_unavailable', `the AI service failed: ${detail}`);
  }
  if (err instanceof Error && (err.name === 'ZodError' || err instanceof SyntaxError)) {
    return new AppError('llm_invalid_json', 'the AI model did not follow the answer format');
  }
  return err instanceof Error
    ? new AppError('llm_failed', redact(err.message, secrets))
    : new AppError('llm_failed', String(err));
}
