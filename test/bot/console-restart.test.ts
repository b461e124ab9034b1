import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { startChat as startChatWith } from '../helpers/chat-process.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-chat-'));
const env = {
  ...process.env,
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  ADGEN_OFFLINE_LATENCY_MS: '600',
};

const startChat = (args: string[] = []) => startChatWith(env, args);

describe('adgen chat: the terminal thread survives a kill mid-render', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resumes after SIGKILL and delivers exactly one video', async () => {
    const a = startChat(['a solar phone charger for hikers']);
    await a.waitFor(/Who is it for/);
    await a.answer([
      'weekend hikers',
      'adventurous, calm',
      'natural, earthy',
      'Charges in sunlight; Weighs 200 g',
      'Order today',
    ]);
    a.type(await a.choice(/Looks good/));
    a.type(await a.choice(/Select /));
    let at = a.output().length;
    await a.waitFor(/Approve & render/, at);
    at = a.output().length;
    a.type('+✅');
    // The render is under way with its clips in flight (600 ms each): the kill lands inside it.
    // (Not "once a clip is ready": the clips' checks now finish together, a moment before the
    // compose, and the throttled status may skip straight to the video.)
    await a.waitFor(/Clips: \d\/5/, at, 90_000);
    await new Promise((r) => setTimeout(r, 300));
    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    expect(a.output()).not.toMatch(/🎬 \S+\.mp4/);

    const b = startChat();
    const delivered = await b.waitFor(/🎬 (\S+\.mp4)/, 0, 120_000);
    await new Promise((r) => setTimeout(r, 500));
    b.child.stdin.end();
    await new Promise((r) => b.child.once('exit', r));
    expect(b.output().match(/🎬 \S+\.mp4/g)).toHaveLength(1);
    const info = await probeMedia(delivered[1]!);
    expect(Math.abs(info.durationS - 30)).toBeLessThan(0.3);
  }, 240_000);
});
