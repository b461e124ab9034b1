import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import { redact } from '../../redact.ts';
import type { CardImage } from '../core/cards.ts';
import type { Logger } from '../core/context.ts';
import type { UploadFile } from '../core/ports.ts';
import type { ImageRefs } from './blocks.ts';
import { type ImageConverter, slackImagePath } from './image-format.ts';
import { mrkdwn, truncate } from './text.ts';

export interface UploadTarget {
  channel: string;
  threadTs?: string;
}

/** How many uploaded images we remember; an old entry only costs a re-upload. */
export const CACHE_SIZE = 500;

type FileUploadResult = { files?: { files?: { id?: string }[] }[] };

const destination = (t: UploadTarget) =>
  t.threadTs ? { channel_id: t.channel, thread_ts: t.threadTs } : { channel_id: t.channel };

const fileIds = (res: unknown): string[] =>
  ((res as FileUploadResult).files ?? []).flatMap((c) => c.files ?? []).flatMap((f) => (f.id ? [f.id] : []));

/**
 * Uploads through `files.uploadV2` (getUploadURLExternal -> POST bytes -> completeUploadExternal;
 * the old files.upload was retired in Nov 2025). Card images are uploaded once, cached by path,
 * size and mtime, so editing a card (votes, progress) never re-uploads them.
 *
 * Card images are completed WITHOUT channel_id: such a file is private to the bot and no file
 * message appears (files.completeUploadExternal: "If not specified the file will be private"),
 * while an image block may still show it by `slack_file: {id}`, which only needs the poster to
 * have access (Block Kit "Slack file object"). Each image is then seen once, inside its card.
 */
export function createUploader(client: webApi.WebClient, log: Logger, converter: ImageConverter) {
  const cache = new LRUCache<string, Promise<string | null>>({ max: CACHE_SIZE });

  async function keyOf(target: UploadTarget, file: string): Promise<string | null> {
    try {
      const s = await stat(file);
      return `${target.channel}|${file}|${s.size}|${s.mtimeMs}`;
    } catch {
      log.warn('slack: card image missing', { file: path.basename(file) });
      return null;
    }
  }

  /** Uploads the images not yet uploaded (one files message for all of them); path -> file id. */
  async function images(target: UploadTarget, list: readonly CardImage[]): Promise<ImageRefs> {
    const keyed = await Promise.all(list.map(async (img) => ({ img, key: await keyOf(target, img.path) })));
    const fresh = keyed.filter(
      (k): k is { img: CardImage; key: string } => k.key !== null && !cache.has(k.key),
    );
    if (fresh.length > 0) {
      const batch = Promise.all(fresh.map(({ img, key }) => slackImagePath(img.path, key, converter))).then(
        async (files) => {
          const res = await client.files.uploadV2({
            file_uploads: fresh.map(({ img }, i) => ({
              file: files[i]!,
              filename: path.basename(files[i]!),
              alt_text: truncate(img.alt || 'image', 1000),
            })),
          });
          return fileIds(res);
        },
      );
      fresh.forEach(({ key }, i) => {
        const one = batch.then(
          (ids) => {
            if (!ids[i]) cache.delete(key);
            return ids[i] ?? null;
          },
          (err: unknown) => {
            cache.delete(key); // a failed upload is retried next time the card is rendered
            log.warn('slack: image upload failed', { error: redact(errorCode(err)) });
            return null;
          },
        );
        cache.set(key, one);
      });
    }
    const refs = new Map<string, string>();
    for (const { img, key } of keyed) {
      const id = key ? await cache.get(key) : null;
      if (id) refs.set(img.path, id);
    }
    return refs;
  }

  /** The finished video (or any file) into the thread, with its comment; returns the file id. */
  async function file(target: UploadTarget, f: UploadFile): Promise<string | undefined> {
    const title = truncate(f.title, 250);
    const comment = mrkdwn(f.comment, 3000);
    // Extras (the captions) go in the same message: uploadV2 completes several files at once.
    const res = f.extras?.length
      ? await client.files.uploadV2({
          ...destination(target),
          initial_comment: comment,
          file_uploads: [
            { file: f.path, filename: f.filename, title },
            ...f.extras.map((e) => ({ file: e.path, filename: e.filename, title: e.filename })),
          ],
        })
      : await client.files.uploadV2({
          ...destination(target),
          file: f.path,
          filename: f.filename,
          title,
          initial_comment: comment,
        });
    return fileIds(res)[0];
  }

  return { images, file };
}

/** Slack's error code (`invalid_blocks`, `not_in_channel`, ...) without request details. */
export function errorCode(err: unknown): string {
  const e = err as { data?: { error?: unknown }; code?: unknown; message?: unknown };
  if (typeof e?.data?.error === 'string') return e.data.error;
  if (typeof e?.code === 'string') return e.code;
  return typeof e?.message === 'string' ? e.message.slice(0, 200) : 'unknown error';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A file uploaded a moment ago cannot be referenced by an image block yet: Slack answers
 * `invalid_blocks` for a short while. Retry with the same refs, then fall back to no images so
 * the card (and its buttons) still arrives (saying which images could not be shown).
 */
export async function sendWithFileRetry<T>(
  refs: ImageRefs,
  delaysMs: readonly number[],
  log: Logger,
  send: (refs: ImageRefs) => Promise<T>,
): Promise<T> {
  if (refs.size === 0) return send(refs);
  for (const delay of delaysMs) {
    try {
      return await send(refs);
    } catch (err) {
      if (errorCode(err) !== 'invalid_blocks') throw err;
      await sleep(delay);
    }
  }
  try {
    return await send(refs);
  } catch (err) {
    if (errorCode(err) !== 'invalid_blocks') throw err;
    log.warn('slack: images still not referenceable, sending the card without them');
    return send(new Map());
  }
}
