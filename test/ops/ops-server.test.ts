import { afterEach, describe, expect, it } from 'vitest';
import { MetricsRegistry, Readiness, startOpsServer } from '../../src/ops/index.ts';
import type { OpsServer } from '../../src/ops/server.ts';

let server: OpsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(readiness = new Readiness(200), metrics = new MetricsRegistry()) {
  server = await startOpsServer({ port: 0, host: '127.0.0.1', readiness, metrics });
  const base = `http://127.0.0.1:${server.port}`;
  return { readiness, metrics, get: (path: string, init?: RequestInit) => fetch(`${base}${path}`, init) };
}

describe('ops HTTP server', () => {
  it('answers /healthz while the process is alive, 404 elsewhere, 405 for writes', async () => {
    const { get } = await serve();
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await get('/nope')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('/readyz: 200 when every check passes, 503 naming the ones that throw, say false or hang', async () => {
    const readiness = new Readiness(150);
    let dbUp = true;
    readiness.register('database', async () => {
      if (!dbUp)
        throw Object.assign(new Error('connect ECONNREFUSED postgres://u:secret@h/db'), {
          code: 'ECONNREFUSED',
        });
    });
    readiness.register('chat', () => true);
    const { get } = await serve(readiness);
    const ok = await get('/readyz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ok: true, failing: [] });

    dbUp = false;
    readiness.register('queue', () => new Promise(() => {})); // never answers
    readiness.register('flag', () => false);
    const started = Date.now();
    const bad = await get('/readyz');
    expect(Date.now() - started).toBeLessThan(2000); // the hanging check timed out, not the probe
    expect(bad.status).toBe(503);
    const body = await bad.json();
    expect(body.failing.sort()).toEqual(['database', 'flag', 'queue']);
    expect(body.checks.chat).toEqual({ ok: true });
    expect(body.checks.queue.error).toMatch(/no answer within 150 ms/);
    // Only the error's class and code reach the probe: never the connection string.
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(() => readiness.register('chat', () => true)).toThrow(/twice/);
  });

  it('/metrics renders counters, gauges and histograms in the Prometheus text format', async () => {
    const metrics = new MetricsRegistry();
    const failures = metrics.counter('adgen_step_failures_total', 'Failed steps', ['code']);
    failures.inc({ code: 'ffmpeg_failed' });
    failures.inc({ code: 'ffmpeg_failed' }, 2);
    failures.inc({ code: 'say "hi"\nnow\\' });
    const depth = metrics.gauge('adgen_queue_depth', 'Waiting jobs', ['queue']);
    depth.collectWith(async () => [
      { labels: { queue: 'render' }, value: 4 },
      { labels: { queue: 'chat' }, value: 0 },
    ]);
    const latency = metrics.histogram('adgen_job_latency_seconds', 'Pick-up', [1, 0.1], ['queue']);
    for (const v of [0.05, 0.5, 0.5, 3]) latency.observe({ queue: 'render' }, v);
    metrics.gauge('broken', 'A collector that fails').collectWith(() => {
      throw new Error('queue down');
    });
    const { get } = await serve(undefined, metrics);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE adgen_step_failures_total counter');
    expect(text).toContain('adgen_step_failures_total{code="ffmpeg_failed"} 3');
    expect(text).toContain('adgen_step_failures_total{code="say \\"hi\\"\\nnow\\\\"} 1');
    expect(text).toContain('adgen_queue_depth{queue="render"} 4');
    expect(text).toContain('adgen_queue_depth{queue="chat"} 0');
    // Buckets sorted and cumulative, then +Inf, sum and count.
    expect(text).toContain(
      [
        'adgen_job_latency_seconds_bucket{queue="render",le="0.1"} 1',
        'adgen_job_latency_seconds_bucket{queue="render",le="1"} 3',
        'adgen_job_latency_seconds_bucket{queue="render",le="+Inf"} 4',
        'adgen_job_latency_seconds_sum{queue="render"} 4.05',
        'adgen_job_latency_seconds_count{queue="render"} 4',
      ].join('\n'),
    );
    expect(text).not.toContain('# TYPE broken');
    expect(text.endsWith('\n')).toBe(true);
  });
});

describe('metrics registry', () => {
  it('refuses wrong labels, falling counters, bad names; one name is one metric', () => {
    const r = new MetricsRegistry();
    const c = r.counter('jobs_total', 'Jobs', ['queue']);
    expect(() => c.inc({})).toThrow(/labels must be exactly \[queue\]/);
    expect(() => c.inc({ queue: 'a', extra: 'b' })).toThrow(/labels/);
    expect(() => c.inc({ queue: 'a' }, -1)).toThrow(/cannot go down/);
    expect(() => r.counter('bad-name', 'x')).toThrow(/bad metric name/);
    expect(() => r.histogram('h', 'x', [1], ['le'])).toThrow(/reserved/);
    expect(r.counter('jobs_total', 'Jobs', ['queue'])).toBe(c);
    expect(() => r.gauge('jobs_total', 'Jobs')).toThrow(/already a counter/);
  });
});
