import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadPolicy, download } from '../../src/pipeline/providers/replicate/download.ts';
import {
  guardedLookup,
  hostAllowed,
  isPrivateAddress,
} from '../../src/pipeline/providers/replicate/url-guard.ts';
import { fakeMedia } from '../fakes/replicate-media.ts';

const CAP = 64 * 1024;
let png: Buffer;
let base: string;
let port: number;
let dir: string;
let hits: string[] = [];

const server = http.createServer((req, res) => {
  hits.push(req.url ?? '');
  const url = req.url ?? '';
  if (url === '/ok.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
  if (url === '/redirect-same') return res.writeHead(302, { location: '/ok.png' }).end();
  if (url === '/redirect-other')
    return res.writeHead(302, { location: `http://localhost:${port}/ok.png` }).end();
  if (url === '/big')
    return res.writeHead(200, { 'content-type': 'image/png', 'content-length': String(CAP * 10) }).end();
  if (url === '/big-chunked') {
    res.writeHead(200, { 'content-type': 'image/png' });
    res.write(png);
    return res.end(Buffer.alloc(CAP * 2));
  }
  if (url === '/html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
  if (url === '/lying.png')
    return res.writeHead(200, { 'content-type': 'image/png' }).end('<html>not a png</html>');
  if (url === '/slow') return res.writeHead(200, { 'content-type': 'image/png' }).write(png.subarray(0, 8));
  if (url === '/gone') return res.writeHead(404).end();
  res.writeHead(500).end();
});

const policy = (over: Partial<DownloadPolicy> = {}): DownloadPolicy => ({
  hostAllowlist: ['127.0.0.1'],
  allowInsecureLoopback: true,
  maxBytes: CAP,
  timeoutMs: 2_000,
  ...over,
});
const get = (url: string, p = policy(), stem = 'scene-1') => download(url, { dir, stem }, 'image', p);

beforeAll(async () => {
  png = fs.readFileSync(await fakeMedia('image'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-dl-'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('safe downloader', () => {
  it('streams an allowed file to a generated name and follows a same-host redirect', async () => {
    const a = await get(`${base}/ok.png`, policy(), 'scene-1');
    expect(a.path).toBe(path.join(dir, 'scene-1.png'));
    expect(fs.readFileSync(a.path).equals(png)).toBe(true);
    const b = await get(`${base}/redirect-same`, policy(), 'scene-2');
    expect(b.path.endsWith('scene-2.png')).toBe(true);
  });

  it('refuses the metadata address, file://, and plain http outside the test flag, before connecting', async () => {
    hits = [];
    await expect(get('http://169.254.169.254/latest/meta-data/')).rejects.toMatchObject({
      code: 'unsafe_url',
    });
    await expect(
      get('https://169.254.169.254/latest/meta-data/', policy({ hostAllowlist: ['replicate.delivery'] })),
    ).rejects.toThrow(/not on MEDIA_HOST_ALLOWLIST/);
    await expect(get('file:///etc/passwd')).rejects.toThrow(/file: scheme is not allowed/);
    await expect(get(`${base}/ok.png`, policy({ allowInsecureLoopback: false }))).rejects.toThrow(
      /plain http/,
    );
    await expect(get('https://user:pw@127.0.0.1/ok.png')).rejects.toThrow(/credentials/);
    expect(hits).toEqual([]);
  });

  it('refuses a redirect to another host without fetching it', async () => {
    hits = [];
    await expect(get(`${base}/redirect-other`)).rejects.toThrow(
      /redirect from 127\.0\.0\.1:\d+ to another host/,
    );
    expect(hits).toEqual(['/redirect-other']);
  });

  it('refuses an oversize body, declared or streamed, and leaves no file behind', async () => {
    await expect(get(`${base}/big`, policy(), 'big')).rejects.toMatchObject({ code: 'too_large' });
    await expect(get(`${base}/big-chunked`, policy(), 'big2')).rejects.toMatchObject({ code: 'too_large' });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('big'))).toEqual([]);
  });

  it('checks the content type by header and by magic bytes', async () => {
    await expect(get(`${base}/html`)).rejects.toThrow(/expected image, got "text\/html"/);
    await expect(get(`${base}/lying.png`, policy(), 'lying')).rejects.toThrow(/not an image file/);
    expect(fs.existsSync(path.join(dir, 'lying.png'))).toBe(false);
  });

  it('times out a stalled body and reports a deleted output as gone', async () => {
    await expect(get(`${base}/slow`, policy({ timeoutMs: 300 }), 'slow')).rejects.toMatchObject({
      code: 'download_timeout',
    });
    await expect(get(`${base}/gone`)).rejects.toMatchObject({ code: 'download_gone' });
  });
});

describe('url guard', () => {
  it('allows a host and its subdomains only', () => {
    const list = ['replicate.delivery'];
    expect(hostAllowed('replicate.delivery', list)).toBe(true);
    expect(hostAllowed('pbxt.replicate.delivery', list)).toBe(true);
    expect(hostAllowed('replicate.delivery.evil.com', list)).toBe(false);
    expect(hostAllowed('evilreplicate.delivery', list)).toBe(false);
    expect(hostAllowed('127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(hostAllowed('127.0.0.2', ['127.0.0.1'])).toBe(false);
  });

  it('knows private addresses', () => {
    for (const ip of [
      '169.254.169.254',
      '10.1.2.3',
      '127.0.0.1',
      '192.168.1.1',
      '172.20.0.1',
      '::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['34.120.1.1', '2606:4700::1']) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('refuses an allow-listed name that resolves to a private address', async () => {
    const err = await new Promise<Error | null>((resolve) =>
      guardedLookup(['localhost'])('localhost', {}, (e) => resolve(e)),
    );
    expect(err?.message).toMatch(/resolves to a private address/);
  });
});
