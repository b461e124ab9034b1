import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_BRIEF } from '../../src/cli/demo-brief.ts';
import { driveAutoRun, startAutoRun, voiceFor } from '../../src/cli/run-commands.ts';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { createOfflineProviders } from '../../src/pipeline/providers/offline/index.ts';
import { createOpenAiTts } from '../../src/pipeline/providers/openai/tts.ts';
import type { Providers } from '../../src/pipeline/providers/ports.ts';
import type { Scene } from '../../src/pipeline/schemas.ts';
import { voiceStepId } from '../../src/pipeline/steps/voice.ts';
import { voiceWindows } from '../../src/pipeline/voice/fit.ts';
import { type FakeOpenAI, startFakeOpenAI } from '../fakes/openai.ts';
import { tempApp } from '../helpers/app.ts';

// The whole auto run (offline pictures and music, the real `openai` client speaking against the
// fake): the voice-over reaches the MP4, the captions the .srt beside it, and a failing speech
// provider costs the voice, never the video.
let openai: FakeOpenAI;
const apps: { cleanup(): void }[] = [];
const progress = { mark() {}, done() {}, timings: () => [] } as unknown as Parameters<typeof driveAutoRun>[2];

function appWith(tts: boolean) {
  const providers: Providers = {
    ...createOfflineProviders(),
    ...(tts
      ? {
          tts: createOpenAiTts({
            apiKey: openai.apiKey,
            baseURL: openai.url,
            model: 'gpt-4o',
            maxRetries: 0,
            timeoutMs: 10_000,
            ttsModel: 'gpt-4o-mini-tts',
            ttsVoice: 'coral',
          }),
        }
      : {}),
  };
  const app = tempApp({ ADGEN_STEP_ATTEMPTS: '1' }, providers);
  apps.push(app);
  return app;
}

async function render(app: ReturnType<typeof appWith>, voice: string | null) {
  const out = path.join(app.dir, 'out', 'ad.mp4');
  const runId = await startAutoRun(app, DEMO_BRIEF, { profile: 'tiny', maxBytes: null, out, seed: 7, voice });
  const result = await driveAutoRun(app, runId, progress);
  const v = await app.workflow.view(runId);
  return { result, out, scenes: v.storyboard!.map((s) => s.scene) as Scene[] };
}

/** SubRip back into cues (an independent reader, not the writer under test). */
function parseSrt(text: string) {
  const t = (s: string) => {
    const [h, m, rest] = s.split(':');
    const [sec, ms] = rest!.split(',');
    return Number(h) * 3600 + Number(m) * 60 + Number(sec) + Number(ms) / 1000;
  };
  return text
    .trim()
    .split(/\n\n/)
    .map((block) => {
      const [n, times, ...words] = block.split('\n');
      const [a, b] = times!.split(' --> ');
      return { n: Number(n), startS: t(a!), endS: t(b!), text: words.join(' ') };
    });
}

beforeAll(async () => {
  openai = await startFakeOpenAI();
});
afterAll(async () => {
  for (const a of apps) a.cleanup();
  await openai.close();
});

describe('an ad with a voice-over', () => {
  it('speaks each scene’s line, writes <out>.srt timed inside each line’s window', async () => {
    const app = appWith(true);
    const before = openai.speech.requests.length;
    const { result, out, scenes } = await render(app, 'coral');
    const lines = scenes.filter((s) => s.voiceLine);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    expect(openai.speech.requests.length - before).toBe(lines.length);
    expect(openai.speech.requests.at(-1)).toMatchObject({ voice: 'coral', model: 'gpt-4o-mini-tts' });
    expect(result.voice).toBe('coral');
    expect(result.notices).toEqual([]);
    expect(result.srtPath).toBe(path.join(app.dir, 'out', 'ad.srt'));
    const info = await probeMedia(out);
    expect(info.audio).toBeTruthy();
    expect(info.durationS).toBeCloseTo(30, 0);

    const cues = parseSrt(fs.readFileSync(result.srtPath!, 'utf8'));
    expect(cues.map((c) => c.n)).toEqual(cues.map((_, i) => i + 1));
    const windows = voiceWindows(scenes.map((s) => s.durationS));
    // Every word of every spoken line is captioned, in order, inside that scene's window.
    expect(cues.map((c) => c.text).join(' ')).toBe(lines.map((s) => s.voiceLine).join(' '));
    for (const c of cues) {
      const w = windows.find((x) => c.startS >= x.startS - 0.001 && c.startS < x.endS)!;
      expect(w, `cue "${c.text}" at ${c.startS}`).toBeTruthy();
      expect(c.endS).toBeLessThanOrEqual(w.endS + 0.001);
      expect(c.endS).toBeGreaterThan(c.startS);
    }
    // The first cue starts with the first line, where the voice starts.
    expect(cues[0]!.startS).toBeCloseTo(windows[0]!.startS, 2);
  });

  it('re-plans a line too long for its scene once, shorter, and keeps every caption in its window', async () => {
    const app = appWith(true);
    // A slow reader: most lines now need more than the 1.15x tempo allows.
    openai.speech.wordsPerS = 1.2;
    const before = openai.speech.requests.length;
    try {
      const { result, scenes } = await render(app, 'coral');
      const asked = openai.speech.requests.slice(before).map((r) => r.input);
      const planned = scenes.map((s) => s.voiceLine).filter(Boolean) as string[];
      const retries = asked.filter((a) => !planned.includes(a));
      expect(retries.length).toBeGreaterThan(0);
      // Each re-plan is a shorter cut of a planned line, asked once.
      for (const r of retries) {
        const from = planned.find((p) => p.startsWith(r.replace(/[.,;:]$/, '')))!;
        expect(from, r).toBeTruthy();
        expect(r.split(' ').length).toBeLessThan(from.split(' ').length);
      }
      expect(asked.length).toBe(planned.length + retries.length);
      const cues = parseSrt(fs.readFileSync(result.srtPath!, 'utf8'));
      const windows = voiceWindows(scenes.map((s) => s.durationS));
      for (const c of cues) {
        const w = windows.find((x) => c.startS >= x.startS - 0.001 && c.startS < x.endS)!;
        expect(c.endS).toBeLessThanOrEqual(w.endS + 0.001);
      }
      // The captions say what is spoken: the shortened lines, not the planned ones.
      for (const r of retries) expect(cues.map((c) => c.text).join(' ')).toContain(r);
    } finally {
      openai.speech.wordsPerS = 2.5;
    }
  });

  it('makes the ad without voice-over when the speech provider fails, and says so', async () => {
    const app = appWith(true);
    openai.speech.faults.push(...Array.from({ length: 20 }, () => ({ status: 500 })));
    const { result, out } = await render(app, 'coral');
    openai.speech.faults.length = 0;
    expect(result.voice).toBeNull();
    expect(result.srtPath).toBeNull();
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toMatch(/^made without voice-over: OpenAI speech \(gpt-4o-mini-tts\): .*500/);
    expect(fs.existsSync(out)).toBe(true);
    expect(fs.existsSync(out.replace(/\.mp4$/, '.srt'))).toBe(false);
    expect((await probeMedia(out)).durationS).toBeCloseTo(30, 0);
  });

  it('`--voice none` makes no speech request and no captions file', async () => {
    const app = appWith(true);
    expect(voiceFor(app, undefined)).toBe('coral');
    expect(voiceFor(app, 'none')).toBeNull();
    expect(() => voiceFor(app, 'nobody')).toThrow(/has no voice "nobody"/);
    expect(() => voiceFor(appWith(false), 'coral')).toThrow(/needs a speech provider/);
    const before = openai.speech.requests.length;
    const { result } = await render(app, voiceFor(app, 'none'));
    expect(openai.speech.requests.length).toBe(before);
    expect(result.voice).toBeNull();
    expect(result.notices).toEqual([]);
    expect(result.srtPath).toBeNull();
  });
});

describe('voice step ids', () => {
  it('are keyed by model, voice and text: a changed line or voice is a new step, the same line is not', () => {
    const tts = { model: 'gpt-4o-mini-tts' };
    const id = voiceStepId(2, tts, 'coral', 'Hello there.');
    expect(id).toMatch(/^scene-2\/voice\/[0-9a-f]{12}$/);
    expect(voiceStepId(2, tts, 'coral', 'Hello there.')).toBe(id);
    expect(voiceStepId(2, tts, 'nova', 'Hello there.')).not.toBe(id);
    expect(voiceStepId(2, tts, 'coral', 'Hello here.')).not.toBe(id);
    expect(voiceStepId(2, { model: 'tts-1' }, 'coral', 'Hello there.')).not.toBe(id);
  });
});

describe('adgen CLI --voice', () => {
  it('refuses a voice without a speech provider (exit 2) before any work', () => {
    const dir = fs.mkdtempSync(path.join(apps.length ? '/tmp' : '/tmp', 'adgen-cli-voice-'));
    const r = spawnSync(
      process.execPath,
      ['bin/adgen.mjs', 'demo', '--voice', 'coral', '--out', path.join(dir, 'a.mp4')],
      {
        env: { ...process.env, ADGEN_DATA_DIR: dir, ADGEN_FORCE_OFFLINE: 'true' },
        encoding: 'utf8',
      },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--voice coral needs a speech provider/);
  });
});
