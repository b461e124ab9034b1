import crypto from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runBinary } from '../../pipeline/media/run.ts';

/** Image blocks only show png/jpg/gif Slack files; image models often return webp. */
const SUPPORTED = new Set(['.png', '.jpg', '.jpeg', '.gif']);

export interface ImageConverter {
  ffmpeg: string;
  /** Where converted copies go (one per source path + mtime). */
  dir: string;
}

export const defaultConverter = (ffmpeg = 'ffmpeg'): ImageConverter => ({
  ffmpeg,
  dir: path.join(os.tmpdir(), 'adgen-slack-images'),
});

/** The file to upload for a card image: itself, or a PNG copy when Slack cannot show its format. */
export async function slackImagePath(file: string, version: string, conv: ImageConverter): Promise<string> {
  if (SUPPORTED.has(path.extname(file).toLowerCase())) return file;
  const name = crypto.createHash('sha256').update(`${file}|${version}`).digest('hex').slice(0, 24);
  const out = path.join(conv.dir, `${path.basename(file, path.extname(file))}-${name}.png`);
  await mkdir(conv.dir, { recursive: true });
  await runBinary(conv.ffmpeg, ['-v', 'error', '-y', '-i', file, '-frames:v', '1', out]);
  return out;
}
