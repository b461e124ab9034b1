import type http from 'node:http';

/**
 * Files people share into a thread (Slack docs: a `message` event with subtype `file_share` and
 * a `files` array of file objects), and their `url_private_download`, which Slack serves only
 * with the bot token as a Bearer header (files:read). Without it, Slack answers 200 with its HTML
 * sign-in page, not a 401: the fake does the same, so a client that forgets the token fails the
 * way it would in production.
 */
export interface SharedFile {
  id: string;
  name: string;
  bytes: Buffer;
  /** What the file object claims (`size`): a lying sender can make it differ from the bytes. */
  declaredSize: number;
  mimetype: string;
}

export class SharedFiles {
  readonly files = new Map<string, SharedFile>();
  /** Every download request: which file, whether it carried the bot token, bytes written. */
  readonly downloads: { id: string; authorised: boolean; bytesSent: number; aborted: boolean }[] = [];
  private seq = 0;

  add(name: string, bytes: Buffer, opts: { declaredSize?: number; mimetype?: string } = {}): SharedFile {
    const id = `F0SHARED${++this.seq}`;
    const file = {
      id,
      name,
      bytes,
      declaredSize: opts.declaredSize ?? bytes.length,
      mimetype: opts.mimetype ?? 'image/png',
    };
    this.files.set(id, file);
    return file;
  }

  /** The file object inside the event, as Slack sends it (the fields adgen reads and a few more). */
  fileObject(f: SharedFile, port: number, user: string) {
    const base = `http://127.0.0.1:${port}/files-pri/T0FAKE-${f.id}/${encodeURIComponent(f.name)}`;
    return {
      id: f.id,
      created: Math.floor(Date.now() / 1000),
      name: f.name,
      title: f.name,
      mimetype: f.mimetype,
      filetype: f.name.split('.').pop() ?? 'binary',
      user,
      size: f.declaredSize,
      mode: 'hosted',
      is_external: false,
      url_private: base,
      url_private_download: `${base}?download=1`,
    };
  }

  serve(req: http.IncomingMessage, res: http.ServerResponse, botToken: string): void {
    const id = /^\/files-pri\/T0FAKE-([A-Z0-9]+)\//.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    const file = id ? this.files.get(id) : undefined;
    const authorised = req.headers.authorization === `Bearer ${botToken}`;
    const record = { id: id ?? '?', authorised, bytesSent: 0, aborted: false };
    this.downloads.push(record);
    if (!authorised) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
    }
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('file_not_found');
    }
    // Chunked, without a length: a client must enforce its own cap while reading.
    res.writeHead(200, { 'content-type': file.mimetype });
    res.on('close', () => {
      record.aborted = record.bytesSent < file.bytes.length;
    });
    let offset = 0;
    const pump = () => {
      while (offset < file.bytes.length) {
        const chunk = file.bytes.subarray(offset, offset + 256 * 1024);
        offset += chunk.length;
        record.bytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }
}
