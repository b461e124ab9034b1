import fs from 'node:fs';
import path from 'node:path';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';

/**
 * Per channel: the `attachment_size_limit` Discord last sent in an interaction there. Kept on disk
 * because after a restart no interaction may come before the next upload (a ✅ reaction approves
 * a storyboard), and the boost-tier table is only a guess.
 */
export interface UploadLimitStore {
  get(channelId: string): number | undefined;
  set(channelId: string, bytes: number): void;
}

/** Channels remembered; the oldest are forgotten first (they fall back to the tier table). */
export const MAX_CHANNELS = 2000;
const Stored = z.record(z.string().regex(/^\d{1,20}$/), z.number().int().positive());

const channelLimits = () => new LRUCache<string, number>({ max: MAX_CHANNELS });

export function createMemoryLimitStore(): UploadLimitStore {
  const m = channelLimits();
  return { get: (id) => m.get(id), set: (id, bytes) => void m.set(id, bytes) };
}

/** A small JSON file in the data folder, written atomically (temp file + rename). */
export function createFileLimitStore(file: string): UploadLimitStore {
  const limits = channelLimits();
  try {
    const parsed = Stored.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) for (const [k, v] of Object.entries(parsed.data)) limits.set(k, v);
  } catch {
    // no file yet (or unreadable): start empty, the tier table covers until an interaction comes
  }
  return {
    get: (id) => limits.get(id),
    set(id, bytes) {
      if (limits.get(id) === bytes) return;
      limits.set(id, bytes);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      // Least recent first: loading sets them in file order, so the recency survives a restart.
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(limits.rentries())));
      fs.renameSync(tmp, file);
    },
  };
}
