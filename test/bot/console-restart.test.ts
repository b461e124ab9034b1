import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-chat-'));
const env = {
  ...process.env,
  ADGEN_DATA_DIR: dir,
  ADGEN_PROFILE: 'tiny',
  ADGEN_FORCE_OFFLINE: 'true',
  ADGEN_OFFLINE_LATENCY_MS: '600',
};

/** `adgen chat` in a child process, driven through its stdin like a person at a terminal. */
function startChat(args: string[] = []) {
  const child = spawn(process.execPath, ['bin/adgen.mjs', 'chat', ...args], {
    env,
  }) as ChildProcessWithoutNullStreams;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.resume();
  const waitFor = async (re: RegExp, from = 0, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const m = re.exec(out.slice(from));
      if (m) return m;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`timed out waiting for ${re}; output so far:\n${out.slice(-2000)}`);
  };
  const choice = async (label: RegExp, from = 0) => {
    const m = await waitFor(new RegExp(`\\[(\\d+)\\] ${label.source}`), from);
    return m[1]!;
  };
  return {
    child,
    output: () => out,
    waitFor,
    choice,
    type: (line: string) => child.stdin.write(`${line}\n`),
  };
}

describe('adgen chat: the terminal thread survives a kill mid-render', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('resumes after SIGKILL and delivers exactly one video', async () => {
    const a = startChat(['a solar phone charger for hikers']);
    await a.waitFor(/Who is it for/);
    for (const answer of [
      'weekend hikers',
      'adventurous, calm',
      'natural, earthy',
      'Charges in sunlight; Weighs 200 g',
      'Order today',
    ]) {
      const at = a.output().length;
      a.type(answer);
      await a.waitFor(/\S/, at);
      await new Promise((r) => setTimeout(r, 150));
    }
    a.type(await a.choice(/Looks good/));
    a.type(await a.choice(/Select /));
    let at = a.output().length;
    await a.waitFor(/Approve & render/, at);
    at = a.output().length;
    a.type('+✅');
    await a.waitFor(/Clips: [1-9]/, at, 90_000);
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
