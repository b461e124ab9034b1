import { redactClip } from '../../redact.ts';

/**
 * Error text from an API can echo credentials (OpenAI's 401 quotes part of the key). Every
 * message built from a provider's answer passes through the shared list before it is thrown or
 * logged, cut to one readable line's worth.
 */
export const redact = (text: string, secrets: readonly string[]): string => redactClip(text, 500, secrets);
