import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, CancelledError, NonRetryableError } from '../../../errors.ts';
import { checkUrl, guardedLookup, type UrlPolicy } from './url-guard.ts';

export type MediaKind = 'image' | 'video' | 'audio';

export interface DownloadPolicy extends UrlPolicy {
  maxBytes: number;
  timeoutMs: number;
}

/** Magic bytes decide the file's type and extension; the URL and headers only have to agree. */
export function sniff(head: Buffer): { kind: MediaKind; ext: string } | undefined {
  const ascii = (from: number, to: number) => head.toString('latin1', from, to);
  if (head.length >= 4 && head.readUInt32BE(0) === 0x89504e47) return { kind: 'image', ext: 'png' };
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff)
    return { kind: 'image', ext: 'jpg' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { kind: 'image', ext: 'webp' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return { kind: 'audio', ext: 'wav' };
  if (ascii(4, 8) === 'ftyp') return { kind: 'video', ext: 'mp4' };
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return { kind: 'video', ext: 'webm' };
  if (ascii(0, 4) === 'fLaC') return { kind: 'audio', ext: 'flac' };
  if (ascii(0, 4) === 'OggS') return { kind: 'audio', ext: 'ogg' };
  if (ascii(0, 3) === 'ID3' || (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0)) {
    return { kind: 'audio', ext: 'mp3' };
  }
  return undefined;
}

const TYPE_OK: Record<MediaKind, RegExp> = {
  image: /^image\/(png|jpeg|webp)$/,
  video: /^video\/(mp4|quicktime|webm)$/,
  audio: /^audio\/(wav|x-wav|wave|vnd\.wave|mpeg|mp3|flac|x-flac|ogg)$/,
};

function request(url: URL, policy: DownloadPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.get(url, { lookup: guardedLookup(policy.hostAllowlist) as never, signal }, resolve);
    req.on('error', reject);
  });
}

/**
 * Fetches one model output to `<dir>/<stem>.<ext>`: https only (http only to 127.0.0.1 under the
 * test-only flag), allow-listed hosts, redirects only within the same host, a size cap checked
 * before and while streaming, one overall timeout, and the content type checked twice (header and
 * magic bytes). The file appears under its final name only when complete.
 */
export async function download(
  rawUrl: string,
  dest: { dir: string; stem: string },
  kind: MediaKind,
  policy: DownloadPolicy,
  signal?: AbortSignal,
): Promise<{ path: string; bytes: number; contentType: string }> {
  const timeout = AbortSignal.timeout(policy.timeoutMs);
  const abort = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const part = path.join(dest.dir, `${dest.stem}.part`);
  let url = checkUrl(rawUrl, policy);
  try {
    for (let hops = 0; ; hops++) {
      const res = await request(url, policy, abort);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        const next = new URL(res.headers.location, url);
        if (next.host !== url.host || next.protocol !== url.protocol) {
          throw new NonRetryableError(
            'unsafe_url',
            `refused to download: redirect from ${url.host} to another host`,
          );
        }
        if (hops >= 3) throw new NonRetryableError('unsafe_url', 'refused to download: too many redirects');
        url = checkUrl(next.href, policy);
        continue;
      }
      if (status === 404 || status === 410) {
        res.resume();
        throw new NonRetryableError('download_gone', `the output at ${url.host} is gone (HTTP ${status})`);
      }
      if (status < 200 || status >= 300) {
        res.resume();
        const msg = `downloading from ${url.host} failed with HTTP ${status}`;
        throw status >= 500 || status === 429
          ? new AppError('download_failed', msg)
          : new NonRetryableError('download_failed', msg);
      }
      const type = String(res.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      if (type !== 'application/octet-stream' && !TYPE_OK[kind].test(type)) {
        res.resume();
        throw new NonRetryableError(
          'unsafe_content',
          `refused to download: expected ${kind}, got "${type || 'no type'}"`,
        );
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > policy.maxBytes) {
        res.destroy();
        throw new NonRetryableError(
          'too_large',
          `refused to download: ${declared} bytes is over the ${policy.maxBytes}-byte cap`,
        );
      }
      let bytes = 0;
      let head = Buffer.alloc(0);
      const guard = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)]);
          if (bytes > policy.maxBytes) {
            return cb(
              new NonRetryableError(
                'too_large',
                `refused to download: body is over the ${policy.maxBytes}-byte cap`,
              ),
            );
          }
          cb(null, chunk);
        },
      });
      await pipeline(res, guard, createWriteStream(part), { signal: abort });
      const found = sniff(head);
      if (!found || found.kind !== kind) {
        throw new NonRetryableError(
          'unsafe_content',
          `refused to download: the body is not ${kind === 'image' ? 'an' : 'a'} ${kind} file`,
        );
      }
      const final = path.join(dest.dir, `${dest.stem}.${found.ext}`);
      await rename(part, final);
      return { path: final, bytes, contentType: type };
    }
  } catch (err) {
    await rm(part, { force: true });
    if (signal?.aborted) throw new CancelledError();
    if (timeout.aborted)
      throw new AppError('download_timeout', `downloading from ${url.host} took over ${policy.timeoutMs} ms`);
    if (err instanceof AppError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new AppError('download_failed', `downloading from ${url.host} failed: ${message}`);
  }
}
