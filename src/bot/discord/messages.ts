import fs from 'node:fs';
import { LRUCache } from 'lru-cache';
import type { DiscordMessage } from './components.ts';

/** The part of a message Discord returns that says where it stored each embed's image. */
export interface SentMessage {
  id: string;
  embeds?: { image?: { url?: string } }[];
}

/**
 * Remembers where Discord stored the images of each card we sent, so an edit that only changes
 * text (a vote count, an approval) reuses them instead of uploading every image again. After a
 * restart the memory is empty and an edit simply re-uploads, replacing the old attachments.
 */
export function createImageMemory(max = 500) {
  const sent = new LRUCache<string, { key: string; urls: Map<string, string> }>({ max });
  // Size and mtime too: a regenerated image may be written to the same path.
  const keyOf = (m: DiscordMessage) =>
    m.files
      .map((f) => {
        const st = fs.statSync(f.attachment, { throwIfNoEntry: false });
        return `${f.name}=${f.attachment}:${st?.size}:${st?.mtimeMs}`;
      })
      .join('\n');

  return {
    remember(message: SentMessage, rendered: DiscordMessage): void {
      if (!rendered.files.length) return;
      const urls = new Map<string, string>();
      rendered.embeds.forEach((e, i) => {
        const ref = e.image?.url;
        const stored = message.embeds?.[i]?.image?.url;
        if (ref?.startsWith('attachment://') && stored && !stored.startsWith('attachment://'))
          urls.set(ref, stored);
      });
      sent.set(message.id, { key: keyOf(rendered), urls });
    },

    /**
     * What to send for an edit: the stored images when unchanged (old attachments kept), else
     * the new files, which replace the old attachments.
     */
    forEdit(messageId: string, m: DiscordMessage): { message: DiscordMessage; keepAttachments: boolean } {
      const prev = sent.get(messageId);
      const refs = m.embeds.map((e) => e.image?.url).filter((u) => u?.startsWith('attachment://'));
      if (m.files.length && prev?.key === keyOf(m) && refs.every((u) => prev.urls.has(u!))) {
        const embeds = m.embeds.map((e) =>
          e.image ? { ...e, image: { url: prev.urls.get(e.image.url)! } } : e,
        );
        return { message: { ...m, embeds, files: [] }, keepAttachments: true };
      }
      return { message: m, keepAttachments: false };
    },
  };
}
