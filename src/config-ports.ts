import { z } from 'zod';
import { opt } from './config-env.ts';

/** Which implementation each provider port gets: chosen per port, not all-or-nothing per vendor. */
export interface PortChoice {
  llm: 'openai' | 'offline';
  image: 'replicate' | 'offline';
  video: 'replicate' | 'offline';
  music: 'replicate' | 'offline';
  /** Voice-over: `none` makes every ad without one (offline has no voice good enough: README). */
  tts: 'openai' | 'replicate' | 'none';
}

export const PORT_ENV = {
  /** `auto` (default): the vendor when its key is set, else offline. */
  ADGEN_LLM_PROVIDER: opt(z.enum(['auto', 'openai', 'offline'])),
  ADGEN_IMAGE_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
  ADGEN_VIDEO_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
  ADGEN_MUSIC_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
  /** `auto`: OpenAI when OPENAI_API_KEY is set for api.openai.com, else none. */
  ADGEN_TTS_PROVIDER: opt(z.enum(['auto', 'openai', 'replicate', 'none', 'offline'])),
};

type PortEnv = { [K in keyof typeof PORT_ENV]?: string };

/**
 * Resolves the per-port choice. A vendor named explicitly without its key is a configuration
 * error naming both variables (a silent fallback to offline would make "free" ads by surprise).
 */
export function choosePorts(
  e: PortEnv,
  keys: { openai: boolean; replicate: boolean; openaiSpeech?: boolean },
  forceOffline: boolean,
): { ports: PortChoice; errors: string[] } {
  const errors: string[] = [];
  const pick = <V extends string>(name: keyof PortEnv, vendor: V, hasKey: boolean, keyVar: string) => {
    const asked = e[name] ?? 'auto';
    if (forceOffline || asked === 'offline') return 'offline' as const;
    if (asked === 'auto') return hasKey ? vendor : ('offline' as const);
    if (!hasKey) errors.push(`  ${name}: ${asked} needs ${keyVar}`);
    return vendor;
  };
  return {
    ports: {
      llm: pick('ADGEN_LLM_PROVIDER', 'openai', keys.openai, 'OPENAI_API_KEY or OPENAI_BASE_URL'),
      image: pick('ADGEN_IMAGE_PROVIDER', 'replicate', keys.replicate, 'REPLICATE_API_TOKEN'),
      video: pick('ADGEN_VIDEO_PROVIDER', 'replicate', keys.replicate, 'REPLICATE_API_TOKEN'),
      music: pick('ADGEN_MUSIC_PROVIDER', 'replicate', keys.replicate, 'REPLICATE_API_TOKEN'),
      tts: chooseTts(e.ADGEN_TTS_PROVIDER, keys, forceOffline, errors),
    },
    errors,
  };
}

/**
 * `auto` gives a voice only with a key for OpenAI itself: OpenAI-compatible servers reached
 * through OPENAI_BASE_URL (Ollama, llama.cpp, vLLM) plan text but have no speech endpoint, and
 * Replicate's speech model is a community package, so it is chosen by name, never by default.
 */
function chooseTts(
  asked: string | undefined,
  keys: { openai: boolean; replicate: boolean; openaiSpeech?: boolean },
  forceOffline: boolean,
  errors: string[],
): PortChoice['tts'] {
  const want = asked ?? 'auto';
  if (forceOffline || want === 'none' || want === 'offline') return 'none';
  if (want === 'auto') return keys.openaiSpeech ? 'openai' : 'none';
  if (want === 'openai' && !keys.openai) errors.push('  ADGEN_TTS_PROVIDER: openai needs OPENAI_API_KEY');
  if (want === 'replicate' && !keys.replicate)
    errors.push('  ADGEN_TTS_PROVIDER: replicate needs REPLICATE_API_TOKEN');
  return want as 'openai' | 'replicate';
}
