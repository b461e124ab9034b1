import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { selectProviders } from '../../src/select-providers.ts';

const base = { ADGEN_DATA_DIR: '/tmp/adgen-select-test' };

describe('provider selection and configuration', () => {
  it('is offline without keys, and picks OpenAI and Replicate each on its own', () => {
    expect(selectProviders(loadConfig(base)).summary).toBe('offline (no API keys needed)');
    const llmOnly = selectProviders(loadConfig({ ...base, OPENAI_API_KEY: 'sk-x' }));
    expect(llmOnly.summary).toBe(
      'planning: OpenAI gpt-4o · image: offline · video: offline · music: offline · voice: OpenAI gpt-4o-mini-tts (coral)',
    );
    expect(llmOnly.providers.image.model).toBe('offline:image');
    const mediaOnly = selectProviders(loadConfig({ ...base, REPLICATE_API_TOKEN: 'r8_x' }));
    expect(mediaOnly.summary).toBe(
      'planning: offline · image: Replicate flux-schnell · video: Replicate seedance-1-pro-fast · music: Replicate stable-audio-2.5',
    );
    expect(mediaOnly.providers.llm.model).toBe('offline:templates');
    expect(mediaOnly.providers.music.model).toBe('stability-ai/stable-audio-2.5');
    const forced = loadConfig({
      ...base,
      OPENAI_API_KEY: 'sk-x',
      REPLICATE_API_TOKEN: 'r8_x',
      ADGEN_FORCE_OFFLINE: 'true',
    });
    expect(selectProviders(forced).summary).toBe('offline (no API keys needed)');
  });

  it('gives a voice-over by default only with a key for OpenAI itself; Replicate Kokoro by name', () => {
    expect(selectProviders(loadConfig(base)).providers.tts).toBeUndefined();
    const openai = selectProviders(loadConfig({ ...base, OPENAI_API_KEY: 'sk-x', OPENAI_TTS_VOICE: 'nova' }));
    expect(openai.providers.tts?.model).toBe('gpt-4o-mini-tts');
    expect(openai.providers.tts?.defaultVoice).toBe('nova');
    // A local OpenAI-compatible server plans text but has no speech endpoint.
    const local = loadConfig({
      ...base,
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
    });
    expect(local.ports.tts).toBe('none');
    expect(
      selectProviders(loadConfig({ ...base, REPLICATE_API_TOKEN: 'r8_x' })).providers.tts,
    ).toBeUndefined();
    const kokoro = selectProviders(
      loadConfig({ ...base, REPLICATE_API_TOKEN: 'r8_x', ADGEN_TTS_PROVIDER: 'replicate' }),
    );
    expect(kokoro.providers.tts?.model).toMatch(/^jaaari\/kokoro-82m:/);
    expect(kokoro.providers.tts?.defaultVoice).toBe('af_bella');
    expect(kokoro.summary).toMatch(/voice: Replicate kokoro-82m \(af_bella\)/);
    const none = loadConfig({ ...base, OPENAI_API_KEY: 'sk-x', ADGEN_TTS_PROVIDER: 'none' });
    expect(selectProviders(none).providers.tts).toBeUndefined();
    expect(() => loadConfig({ ...base, ADGEN_TTS_PROVIDER: 'replicate' })).toThrow(
      /ADGEN_TTS_PROVIDER: replicate needs REPLICATE_API_TOKEN/,
    );
  });

  it('chooses each port on its own, and names a vendor asked for without its key', () => {
    const mixed = selectProviders(
      loadConfig({ ...base, REPLICATE_API_TOKEN: 'r8_x', ADGEN_VIDEO_PROVIDER: 'offline' }),
    );
    expect(mixed.providers.image.model).toBe('black-forest-labs/flux-schnell');
    expect(mixed.providers.video.model).toBe('offline:video');
    expect(mixed.providers.music.model).toBe('stability-ai/stable-audio-2.5');
    expect(mixed.summary).toMatch(/video: offline/);
    expect(() => loadConfig({ ...base, ADGEN_MUSIC_PROVIDER: 'replicate' })).toThrow(
      /ADGEN_MUSIC_PROVIDER: replicate needs REPLICATE_API_TOKEN/,
    );
    expect(() => loadConfig({ ...base, ADGEN_LLM_PROVIDER: 'gemini' })).toThrow(/ADGEN_LLM_PROVIDER/);
  });

  it('plans on a local OpenAI-compatible server given only its URL (no key needed)', () => {
    const local = loadConfig({
      ...base,
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_MODEL: 'llama3.1',
    });
    expect(local.ports.llm).toBe('openai');
    expect(local.openai).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1' });
    expect(selectProviders(local).summary).toMatch(/^planning: OpenAI llama3\.1/);
    expect(loadConfig(base).ports.llm).toBe('offline');
  });

  it('has safe download defaults: https to replicate.delivery only', () => {
    const c = loadConfig(base);
    expect(c.media).toMatchObject({ hostAllowlist: ['replicate.delivery'], allowInsecureLoopback: false });
  });

  it('reads limits, deadline and price overrides', () => {
    const c = loadConfig({
      ...base,
      REPLICATE_API_TOKEN: 'r8_x',
      REPLICATE_MAX_IN_FLIGHT: '4',
      REPLICATE_CREATES_PER_MIN: '100',
      REPLICATE_PREDICTION_DEADLINE_S: '300',
      REPLICATE_PRICES: '{"bytedance/seedance-1-pro-fast":{"perVideoSecond":{"480p":0.02}}}',
      MEDIA_HOST_ALLOWLIST: 'replicate.delivery, cdn.example.com',
    });
    expect(c.replicate).toMatchObject({ maxInFlight: 4, createsPerMin: 100, deadlineS: 300 });
    expect(c.replicate?.prices['bytedance/seedance-1-pro-fast']).toEqual({
      perVideoSecond: { '480p': 0.02 },
    });
    expect(c.replicate?.prices['black-forest-labs/flux-schnell']).toEqual({ perImage: 0.003 });
    expect(c.media.hostAllowlist).toEqual(['replicate.delivery', 'cdn.example.com']);
  });

  it('names bad provider variables', () => {
    expect(() => loadConfig({ ...base, REPLICATE_PRICES: '{oops' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, REPLICATE_PRICES: '{"m":{"perImage":-1}}' })).toThrow(
      /REPLICATE_PRICES/,
    );
    expect(() => loadConfig({ ...base, REPLICATE_MAX_IN_FLIGHT: '0' })).toThrow(/REPLICATE_MAX_IN_FLIGHT/);
  });

  it('refuses an unknown model family at start, naming the supported ones', () => {
    const c = loadConfig({
      ...base,
      REPLICATE_API_TOKEN: 'r8_x',
      REPLICATE_VIDEO_MODEL: 'someone/other-video',
    });
    expect(() => selectProviders(c)).toThrow(
      /no input adapter for video model "someone\/other-video" \(supported: bytedance\/seedance\*\)/,
    );
  });
});
