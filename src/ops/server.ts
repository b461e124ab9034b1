import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MetricsRegistry } from './metrics.ts';
import type { Readiness } from './readiness.ts';

export interface OpsServer {
  /** The port it listens on (the real one when 0 was asked for). */
  port: number;
  close(): Promise<void>;
}

export interface OpsServerOptions {
  port: number;
  /** 0.0.0.0 by default: in a container the probe and Prometheus come from outside it. */
  host?: string;
  readiness: Readiness;
  metrics: MetricsRegistry;
}

const PROM_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The ops HTTP server of a long-running role: GET /healthz (the process answers), /readyz (every
 * registered check passes, else 503 naming the failing ones), /metrics (Prometheus text). It
 * serves nothing else and reads no request body, so it is safe to expose on a private network.
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    const json = (status: number, body: unknown) => send(status, 'application/json', JSON.stringify(body));
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'method not allowed' });
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return json(200, { ok: true });
    if (path === '/readyz') {
      opts.readiness.run().then(
        (r) => json(r.ready ? 200 : 503, { ok: r.ready, failing: r.failing, checks: r.checks }),
        () => json(503, { ok: false, failing: ['readiness'] }),
      );
      return;
    }
    if (path === '/metrics') {
      opts.metrics.render().then(
        (text) => send(200, PROM_TYPE, text),
        () => send(500, 'text/plain', 'metrics failed\n'),
      );
      return;
    }
    json(404, { error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] });
  });
  // Probes open a connection per request: keep idle ones from holding a stop open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
