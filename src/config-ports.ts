import { z } from 'zod';
import { opt } from './config-env.ts';

/** Which implementation each provider port gets: chosen per port, not all-or-nothing per vendor. */
export interface PortChoice {
  llm: 'openai' | 'offline';
  image: 'replicate' | 'offline';
  video: 'replicate' | 'offline';
  music: 'replicate' | 'offline';
}

export const PORT_ENV = {
  /** `auto` (default): the vendor when its key is set, else offline. */
  ADGEN_LLM_PROVIDER: opt(z.enum(['auto', 'openai', 'offline'])),
  ADGEN_IMAGE_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
  ADGEN_VIDEO_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
  ADGEN_MUSIC_PROVIDER: opt(z.enum(['auto', 'replicate', 'offline'])),
};

type PortEnv = { [K in keyof typeof PORT_ENV]?: string };

/**
 * Resolves the per-port choice. A vendor named explicitly without its key is a configuration
 * error naming both variables (a silent fallback to offline would make "free" ads by surprise).
 */
export function choosePorts(
  e: PortEnv,
  keys: { openai: boolean; replicate: boolean },
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
    },
    errors,
  };
}
