import fs from 'node:fs';
import type http from 'node:http';
import { fakeSpeech, speechSeconds } from './speech-audio.ts';

/**
 * OpenAI's `POST /v1/audio/speech` as its API reference describes it: JSON body with `model`,
 * `input` (<= 4096 characters), `voice` (a built-in name or `{id}`), optional `instructions`,
 * `response_format` (mp3 | opus | aac | flac | wav | pcm, default mp3), `speed` 0.25-4 and
 * `stream_format` (sse | audio); the answer is the audio file itself. Errors are the usual
 * `{error:{message,type,param,code}}` JSON with 400 for a bad field.
 */
export interface SpeechRequest {
  model: string;
  input: string;
  voice: string;
  response_format?: string;
  speed?: number;
  idempotencyKey?: string;
}

export interface SpeechFake {
  requests: SpeechRequest[];
  /** Answered in order before any audio: an HTTP status (500, 429) or a body that is not audio. */
  faults: ({ status: number; retryAfterS?: number } | { garbage: true })[];
  /** Reading pace of the fake voice; lower it to make lines run long. */
  wordsPerS: number;
}

const VOICES = new Set(
  'alloy ash ballad coral echo fable nova onyx sage shimmer verse marin cedar'.split(' '),
);
const FORMATS = new Set(['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm']);

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

function problem(b: Partial<SpeechRequest> & { voice?: unknown }): { param: string; message: string } | null {
  if (typeof b.model !== 'string' || !b.model) return { param: 'model', message: 'model is required' };
  if (typeof b.input !== 'string' || !b.input) return { param: 'input', message: 'input is required' };
  if (b.input.length > 4096) return { param: 'input', message: 'input must be at most 4096 characters' };
  const voiceOk =
    (typeof b.voice === 'string' && VOICES.has(b.voice)) ||
    (typeof b.voice === 'object' && b.voice !== null && typeof (b.voice as { id?: unknown }).id === 'string');
  if (!voiceOk) return { param: 'voice', message: `Invalid value for voice: ${JSON.stringify(b.voice)}` };
  if (b.response_format !== undefined && !FORMATS.has(b.response_format))
    return { param: 'response_format', message: 'Invalid response_format' };
  if (b.speed !== undefined && !(b.speed >= 0.25 && b.speed <= 4))
    return { param: 'speed', message: 'speed must be between 0.25 and 4' };
  return null;
}

export async function handleSpeech(
  fake: SpeechFake,
  raw: Buffer,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  send: Send,
): Promise<void> {
  let body: SpeechRequest;
  try {
    body = JSON.parse(raw.toString('utf8')) as SpeechRequest;
  } catch {
    return send(400, {
      error: { message: 'We could not parse the JSON body', type: 'invalid_request_error' },
    });
  }
  const key = req.headers['idempotency-key'];
  fake.requests.push({ ...body, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
  const fault = fake.faults.shift();
  if (fault && 'status' in fault) {
    const headers: Record<string, string> =
      fault.retryAfterS === undefined ? {} : { 'retry-after': String(fault.retryAfterS) };
    return send(
      fault.status,
      { error: { message: `scripted ${fault.status}`, type: 'server_error' } },
      headers,
    );
  }
  const bad = problem(body);
  if (bad) return send(400, { error: { ...bad, type: 'invalid_request_error', code: null } });
  if (fault && 'garbage' in fault) {
    res.writeHead(200, { 'content-type': 'audio/wav' });
    return void res.end(Buffer.from('<html>not audio</html>'));
  }
  // Only WAV is generated; the client under test asks for it (other formats would need encoders).
  if ((body.response_format ?? 'mp3') !== 'wav')
    return send(400, {
      error: { param: 'response_format', message: 'fake serves wav only', type: 'invalid_request_error' },
    });
  const file = await fakeSpeech(speechSeconds(body.input, fake.wordsPerS));
  const audio = fs.readFileSync(file);
  res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(audio.length) });
  res.end(audio);
}
