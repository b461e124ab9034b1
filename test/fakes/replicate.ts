import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CONTENT_TYPES, type FakeMediaKind, fakeMedia } from './replicate-media.ts';
import {
  type FakePrediction,
  type Fault,
  kindOf,
  type OutcomeRule,
  parseDuration,
  predictionJson,
  predictionStatus,
  VERSIONS,
} from './replicate-state.ts';

export type { Fault, OutcomeRule } from './replicate-state.ts';

import { createLateAnswers } from './replicate-late.ts';
import { validateInput } from './replicate-models.ts';
import { fakeSpeech, speechSeconds } from './speech-audio.ts';

/**
 * A loopback stand-in for Replicate's `/v1` API that the real `replicate` client talks to:
 * `POST /models/{o}/{n}/predictions`, `POST /predictions {version}`, `GET /predictions[/{id}]`,
 * `POST /predictions/{id}/cancel`, `POST /files`. Predictions go starting -> processing -> a
 * final state after a configurable latency, computed from the clock (no timers). Outputs are real
 * media served by the fake itself under `/delivery/`. Faults and outcomes are injectable; every
 * create is counted, because "never pay twice" is what the tests check.
 */
export async function startFakeReplicate(
  opts: {
    token?: string;
    latencyMs?: Partial<Record<FakeMediaKind, number>>;
    /** Serve this file instead of the default media for a prediction (e.g. quietMusicMedia). */
    mediaFor?: (p: FakePrediction) => Promise<string | undefined> | undefined;
  } = {},
) {
  const token = opts.token ?? 'r8_test_fake_replicate_token';
  const latency = { image: 60, video: 120, audio: 120, ...opts.latencyMs };
  const predictions = new Map<string, FakePrediction>();
  const faults: (Fault & { left: number })[] = [];
  const outcomes: (OutcomeRule & { left: number })[] = [];
  const uploads = new Map<string, Buffer>();
  const late = createLateAnswers();
  const stats = {
    creates: 0,
    createAttempts: [] as { at: number; status: number }[],
    gets: 0,
    cancels: [] as string[],
    peakRunning: 0,
  };
  let origin = '';

  const statusOf = (p: FakePrediction) => predictionStatus(p);
  const toJson = (p: FakePrediction) => predictionJson(p, origin);

  const takeFault = (on: Fault['on']) => {
    const f = faults.find((x) => x.on === on && x.left > 0);
    if (f) f.left--;
    return f;
  };

  function create(
    model: string,
    version: string,
    input: Record<string, unknown>,
    cancelAfter?: string,
  ): FakePrediction {
    const kind = kindOf(model)!;
    const rule = outcomes.find((o) => o.left > 0 && o.match({ model, input }));
    if (rule) rule.left--;
    const p: FakePrediction = {
      id: randomBytes(10).toString('hex'),
      model,
      version,
      kind,
      input,
      createdAt: Date.now(),
      latencyMs: latency[kind],
      outcome: rule ? { status: rule.status, error: rule.error } : undefined,
      cancelAfterMs: parseDuration(cancelAfter),
    };
    predictions.set(p.id, p);
    stats.creates++;
    const running = [...predictions.values()].filter((x) =>
      ['starting', 'processing'].includes(statusOf(x)),
    ).length;
    stats.peakRunning = Math.max(stats.peakRunning, running);
    return p;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', origin);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === 'delivery' && req.method === 'GET') return deliver(parts[1] ?? '', parts[2] ?? '', res);
    if (parts[0] === 'v1' && parts[1] === 'files' && parts[3] === 'content') {
      const bytes = uploads.get(parts[2] ?? '');
      if (!bytes) return send(404, { detail: 'Not found.' });
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(bytes);
    }
    if (parts[0] !== 'v1') return send(404, { detail: 'Not found.' });
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { detail: 'Invalid token.' });
    const isCreate =
      req.method === 'POST' &&
      ((parts[1] === 'models' && parts[4] === 'predictions') ||
        (parts[1] === 'predictions' && parts.length === 2));
    const isGet = req.method === 'GET' && parts[1] === 'predictions';
    const fault = isCreate ? takeFault('create') : isGet ? takeFault('get') : undefined;
    if (isCreate)
      stats.createAttempts.push({
        at: Date.now(),
        status:
          fault?.kind === '429' || fault?.kind === '422' || fault?.kind === '500' ? Number(fault.kind) : 201,
      });
    if (fault?.kind === '422')
      return send(422, {
        title: 'Input validation failed',
        detail: 'input: prompt was refused',
        status: 422,
      });
    if (fault?.kind === '429') {
      const after = fault.retryAfterS ?? 1;
      return send(
        429,
        { detail: `Request was throttled. Expected available in ${after} second.`, status: 429 },
        { 'retry-after': String(after) },
      );
    }
    if (fault?.kind === '500') return send(500, { detail: 'Internal server error' });
    if (fault?.kind === 'drop') return req.socket.destroy();
    if (isCreate) {
      const body = JSON.parse(raw.toString('utf8') || '{}') as {
        version?: string;
        input?: Record<string, unknown>;
      };
      const model = parts[1] === 'models' ? `${parts[2]}/${parts[3]}` : VERSIONS[body.version ?? ''];
      if (!model || !kindOf(model))
        return send(404, { detail: 'The requested model or version does not exist.' });
      const problem = validateInput(kindOf(model)!, body.input ?? {}, model);
      if (problem) return send(422, { detail: problem, status: 422 });
      const p = create(
        model,
        parts[1] === 'models' ? '' : (body.version ?? ''),
        body.input ?? {},
        req.headers['cancel-after'] as string,
      );
      if (fault?.kind === 'drop-after-create') return req.socket.destroy();
      const created = toJson(p);
      return late.answer(p, res, () => send(201, created));
    }
    if (parts[1] === 'predictions' && req.method === 'GET' && parts.length === 2) {
      // Newest first, 100 a page, `next` a URL carrying an opaque cursor (Replicate's list API).
      const from = Number(Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString() || 0);
      const all = [...predictions.values()].reverse();
      const results = all.slice(from, from + 100).map(toJson);
      const cursor = Buffer.from(String(from + 100)).toString('base64url');
      const next = from + 100 < all.length ? `${origin}/v1/predictions?cursor=${cursor}` : null;
      return send(200, { next, previous: null, results });
    }
    const p = predictions.get(parts[2] ?? '');
    if (parts[1] === 'predictions' && !p) return send(404, { detail: 'Not found.' });
    if (p && req.method === 'GET' && parts.length === 3) {
      stats.gets++;
      return send(200, toJson(p));
    }
    if (p && req.method === 'POST' && parts[3] === 'cancel') {
      stats.cancels.push(p.id);
      if (['starting', 'processing'].includes(statusOf(p))) p.canceledAt = Date.now();
      return send(200, toJson(p));
    }
    if (parts[1] === 'files' && req.method === 'POST') {
      const id = randomBytes(8).toString('hex');
      uploads.set(id, raw);
      return send(201, { id, size: raw.length, urls: { get: `${origin}/v1/files/${id}/content` } });
    }
    return send(404, { detail: 'Not found.' });
  }

  async function deliver(id: string, file: string, res: http.ServerResponse) {
    const p = predictions.get(id);
    const fault = takeFault('download');
    if (fault?.kind === 'drop') return res.socket?.destroy();
    if (fault?.kind === '500') return res.writeHead(500).end();
    if (!p || statusOf(p) !== 'succeeded' || p.outcome?.status === 'data_removed')
      return res.writeHead(404).end();
    const duration = Number(p.input.duration ?? 1);
    const speech = p.model.includes('kokoro')
      ? fakeSpeech(speechSeconds(String(p.input.text ?? '')))
      : undefined;
    const media =
      (await opts.mediaFor?.(p)) ?? (await (speech ?? fakeMedia(p.kind, duration, p.outcome?.status)));
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': fs.statSync(media).size,
    });
    fs.createReadStream(media).pipe(res);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      route(req, res, Buffer.concat(chunks)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ detail: String(err) }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    token,
    url: `${origin}/v1`,
    origin,
    stats,
    predictions,
    latency,
    fault: (f: Fault) => faults.push({ ...f, left: f.times ?? 1 }),
    outcome: (o: OutcomeRule) => outcomes.push({ ...o, left: o.times ?? 1 }),
    /** Hold create answers (`late.add({ holdMs })`); `late.inFlight()` counts the held ones. */
    late,
    /** Creates per model, e.g. `{ 'bytedance/seedance-1-pro-fast': 6 }`. */
    createsByModel() {
      const out: Record<string, number> = {};
      for (const p of predictions.values()) out[p.model] = (out[p.model] ?? 0) + 1;
      return out;
    },
    statusOf: (id: string) => {
      const p = predictions.get(id);
      return p ? statusOf(p) : undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        late.stop();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeReplicate = Awaited<ReturnType<typeof startFakeReplicate>>;
