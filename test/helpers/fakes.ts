import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { type FakeReplicate, startFakeReplicate } from '../fakes/replicate.ts';

/**
 * Both loopback fakes plus the environment that points the real clients at them. Downloads are
 * widened to 127.0.0.1 over http only through the test-only flag; nothing else leaves loopback.
 */
export async function startFakes(opts: Parameters<typeof startFakeReplicate>[0] = {}) {
  const openai = await startFakeOpenAI();
  const replicate = await startFakeReplicate(opts);
  const env: Record<string, string> = {
    ADGEN_FORCE_OFFLINE: 'false',
    OPENAI_API_KEY: openai.apiKey,
    OPENAI_BASE_URL: openai.url,
    OPENAI_MAX_RETRIES: '0',
    REPLICATE_API_TOKEN: replicate.token,
    REPLICATE_BASE_URL: replicate.url,
    REPLICATE_POLL_MIN_MS: '10',
    REPLICATE_POLL_MAX_MS: '100',
    MEDIA_HOST_ALLOWLIST: '127.0.0.1',
    MEDIA_ALLOW_INSECURE_LOOPBACK: 'true',
  };
  return {
    openai,
    replicate,
    env,
    close: async () => {
      await Promise.all([openai.close(), replicate.close()]);
    },
  };
}

export type Fakes = { openai: FakeOpenAI; replicate: FakeReplicate; env: Record<string, string> };
