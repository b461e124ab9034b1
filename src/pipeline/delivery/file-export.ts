import fs from 'node:fs/promises';
import path from 'node:path';
import { formatFilePath } from '../media/formats.ts';
import type { RunView } from '../view.ts';
import type { DeliveryPort } from '../workflow.ts';

/**
 * The CLI's delivery: copy the finished MP4 to the path the user asked for. Copy to a temp name
 * and rename, so a crash mid-copy never leaves a half file under the final name, and doing it
 * again after a crash gives the same result.
 */
export const fileExportDelivery: DeliveryPort = {
  async deliver(view: RunView, video) {
    const target = view.input.exportPath;
    if (!target) return { messageId: null };
    await fs.mkdir(path.dirname(target), { recursive: true });
    await copyInto(video.path, target);
    // The captions travel with the video: `<out stem>.srt` beside `<out>` (every format shares them).
    if (video.srtPath) await copyInto(video.srtPath, srtPathFor(target));
    // The first format goes to `<out>`, every other one beside it as `<stem>.<ratio>.mp4`.
    for (const f of (video.formats ?? []).slice(1)) await copyInto(f.path, formatFilePath(target, f.format));
    return { messageId: target };
  },
};

/** `out/ad.mp4` -> `out/ad.srt` (a name without an extension gets `.srt` added). */
export function srtPathFor(videoPath: string): string {
  const ext = path.extname(videoPath);
  return `${ext ? videoPath.slice(0, -ext.length) : videoPath}.srt`;
}

async function copyInto(from: string, target: string): Promise<void> {
  const part = `${target}.${process.pid}.part`;
  await fs.copyFile(from, part);
  await fs.rename(part, target);
}

/** Routes each run to its driver's delivery: chat runs to the chat, CLI runs to their file. */
export function routedDelivery(chat: DeliveryPort | undefined): DeliveryPort {
  return {
    deliver: (view, video, signal) =>
      view.input.mode === 'chat' && chat
        ? chat.deliver(view, video, signal)
        : fileExportDelivery.deliver(view, video, signal),
  };
}
