import fs from 'node:fs';
import type { Message, MessageEditOptions } from 'discord.js';
import { LRUCache } from 'lru-cache';
import type { DiscordMessage } from './components.ts';

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
    remember(message: Message, rendered: DiscordMessage): void {
      if (!rendered.files.length) return;
      const urls = new Map<string, string>();
      rendered.embeds.forEach((e, i) => {
        const ref = e.image?.url;
        const stored = message.embeds[i]?.image?.url;
        if (ref?.startsWith('attachment://') && stored && !stored.startsWith('attachment://'))
          urls.set(ref, stored);
      });
      sent.set(message.id, { key: keyOf(rendered), urls });
    },

    /** The edit payload: reuse stored images when unchanged, otherwise replace the attachments. */
    editPayload(messageId: string, m: DiscordMessage): MessageEditOptions {
      const base = { content: m.content, embeds: m.embeds, components: m.components };
      const prev = sent.get(messageId);
      const refs = m.embeds.map((e) => e.image?.url).filter((u) => u?.startsWith('attachment://'));
      if (m.files.length && prev?.key === keyOf(m) && refs.every((u) => prev.urls.has(u!))) {
        const embeds = m.embeds.map((e) =>
          e.image ? { ...e, image: { url: prev.urls.get(e.image.url)! } } : e,
        );
        return { ...base, embeds };
      }
      // `attachments: []` drops the old files; the new ones are added by `files`.
      return { ...base, files: m.files, attachments: [] };
    },
  };
}
