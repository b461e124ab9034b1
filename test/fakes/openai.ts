import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerEditPlan } from './openai-edits.ts';
import { handleSpeech, type SpeechFake } from './openai-speech.ts';

/**
 * A loopback stand-in for OpenAI's `/v1/chat/completions` that the real `openai` client talks
 * to. Answers follow the request's `response_format.json_schema.name`: scripted answers first
 * (in order), otherwise a schema-valid default. Faults: refusals, length / content-filter
 * finishes, HTTP errors such as 429 with Retry-After.
 */
export type Scripted =
  | { json: unknown }
  /** Message content sent as is: OpenAI-compatible servers (Ollama, llama.cpp) fence or preface it. */
  | { raw: string }
  | { refusal: string }
  | { finish: 'length' | 'content_filter' }
  | { status: number; body?: unknown; retryAfterS?: number };

export interface RecordedRequest {
  name: string;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format?: unknown;
    seed?: number;
  };
  auth: string | undefined;
}

const MOODS = [
  { name: 'Morning Glow', palette: ['#f4a261', '#e9c46a', '#2a9d8f', '#264653'], tempoBpm: 96 },
  { name: 'Neon Night', palette: ['#0d0221', '#ff00a0', '#00f0ff', '#f5f5f5', '#7b2cbf'], tempoBpm: 124 },
  { name: 'Quiet Paper', palette: ['#fefae0', '#dda15e', '#606c38', '#283618'], tempoBpm: 72 },
];

/** Six scenes, 4+5+5+5+5+6 = 30 s; "Scene N" in each description lets tests target one scene. */
export function defaultPlan() {
  const kinds = ['hook', 'intro', 'feature', 'feature', 'feature', 'cta'] as const;
  const durations = [4, 5, 5, 5, 5, 6];
  return {
    scenes: kinds.map((kind, i) => ({
      kind,
      durationS: durations[i]!,
      title: `Scene ${i + 1} title`,
      onScreen: `Scene ${i + 1} words`,
      voiceLine: `Scene ${i + 1} says a few words here.`,
      description: `Scene ${i + 1}: a ${kind} shot of the product on a kitchen table`,
      stylePrompt: 'soft window light, 35mm, shallow depth of field',
    })),
  };
}

let rewrites = 0;
/** Like a model that over-writes: previous summary plus every new user turn, uncapped. */
function summaryOf(body: RecordedRequest['body']): unknown {
  const user = String(body.messages.at(-1)?.content ?? '');
  const json = /<summary>\n([\s\S]*)\n<\/summary>/.exec(user)?.[1] ?? '{}';
  const data = JSON.parse(json) as { previous?: string | null; newTurns?: { role: string; text: string }[] };
  const said = (data.newTurns ?? []).filter((t) => t.role === 'user').map((t) => t.text);
  return { summary: [data.previous ?? '', ...said].filter(Boolean).join(' / ') };
}

/** Default answers per schema name; they may read the request, as a model does. */
const DEFAULTS: Record<string, (body: RecordedRequest['body']) => unknown> = {
  conversation_summary: summaryOf,
  brief_turn: () => ({
    brief: {
      product: 'Cold brew coffee in a can',
      audience: 'busy commuters',
      tone: ['energetic', 'warm'],
      style: ['bright', 'clean'],
      keyMessages: ['Smooth, never bitter'],
      callToAction: 'Grab one today',
    },
    complete: true,
    question: null,
  }),
  mood_directions: () => ({
    moods: MOODS.map((m) => ({
      ...m,
      description: `${m.name}: a direction for the ad.`,
      styleKeywords: ['cinematic', 'clean'],
      aesthetic: `${m.name} art direction.`,
    })),
  }),
  scene_plan: defaultPlan,
  scene: () => ({
    kind: 'feature',
    durationS: 5,
    title: `Rewrite ${++rewrites}`,
    onScreen: `Fresh take ${rewrites}`,
    voiceLine: `A fresh line number ${rewrites}.`,
    description: `A fresh take number ${rewrites}: hands opening the can at sunrise`,
    stylePrompt: 'golden hour, macro lens',
  }),
  edit_plan: answerEditPlan,
};

export async function startFakeOpenAI(opts: { apiKey?: string } = {}) {
  const apiKey = opts.apiKey ?? 'sk-test-fake-openai-key';
  const scripts = new Map<string, Scripted[]>();
  const requests: RecordedRequest[] = [];
  const defaults = { ...DEFAULTS };
  const speech: SpeechFake = { requests: [], faults: [], wordsPerS: 2.5 };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const known = req.url === '/v1/chat/completions' || req.url === '/v1/audio/speech';
      if (req.method !== 'POST' || !known) return send(404, { error: { message: 'not found' } });
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        // Real OpenAI quotes part of the key here: the client must not pass it on.
        return send(401, {
          error: {
            message: `Incorrect API key provided: ${req.headers.authorization?.slice(7)}`,
            code: 'invalid_api_key',
          },
        });
      }
      if (req.url === '/v1/audio/speech')
        return void handleSpeech(speech, Buffer.concat(chunks), req, res, send);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordedRequest['body'];
      const rf = body.response_format as { json_schema?: { name?: string } } | undefined;
      const name = rf?.json_schema?.name ?? '';
      requests.push({ name, body, auth: req.headers.authorization });
      const next = scripts.get(name)?.shift();
      if (next && 'status' in next) {
        const headers: Record<string, string> =
          next.retryAfterS === undefined ? {} : { 'retry-after': String(next.retryAfterS) };
        return send(
          next.status,
          next.body ?? { error: { message: `scripted ${next.status}`, code: null } },
          headers,
        );
      }
      let content: string | null = null;
      let refusal: string | null = null;
      let finish = 'stop';
      if (next && 'refusal' in next) refusal = next.refusal;
      else if (next && 'raw' in next) content = next.raw;
      else if (next && 'finish' in next) {
        finish = next.finish;
        content = '{"trunc';
      } else {
        const gen = defaults[name];
        content = JSON.stringify(next && 'json' in next ? next.json : gen ? gen(body) : {});
      }
      send(200, {
        id: `chatcmpl-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiKey,
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    /** `/v1/audio/speech`: what was asked, faults to answer with next, and the fake's reading pace. */
    speech,
    /** Queue answers for one schema name; they are used before the defaults, in order. */
    script(name: string, ...answers: Scripted[]) {
      scripts.set(name, [...(scripts.get(name) ?? []), ...answers]);
    },
    count: (name: string) => requests.filter((r) => r.name === name).length,
    /** Replace the default answer for one schema name (e.g. a 7-scene plan for the benchmark). */
    setDefault(name: string, answer: (body: RecordedRequest['body']) => unknown) {
      defaults[name] = answer;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeOpenAI = Awaited<ReturnType<typeof startFakeOpenAI>>;
