import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/pipeline/media/probe.ts';
import { type FakeMessage, type FakeSlack, TEAM } from '../fakes/slack.ts';
import { dbQuery } from '../helpers/db-probe.ts';
import { type SlackBot, startSlackBot } from './slack-bot.ts';
import { driveToStoryboard, hasAction } from './slack-flow.ts';

const USER = 'U0ALICE';
const pngOf = (dir: string, lavfi: string) => {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.png`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', lavfi, '-frames:v', '1', file]);
  return fs.readFileSync(file);
};
const textOf = (m: FakeMessage) => `${m.text} ${JSON.stringify(m.blocks ?? [])}`;

describe('/adgen brand in Slack (real Bolt app, loopback Slack, a logo shared into the thread)', () => {
  let slack: FakeSlack;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-slack-brand-'));
  let stop: SlackBot['stop'];
  beforeAll(async () => {
    ({ slack, stop } = await startSlackBot(dir));
  });
  afterAll(() => stop());

  it('asks field by field, refuses bad input and bad logos plainly, saves the kit, and ads use a snapshot', async () => {
    await slack.slashCommand(USER, 'brand');
    const root = await slack.waitForMessage((m) => m.bot && !m.thread_ts && m.text.includes('Brand kit'));
    const replies = () => slack.messages.filter((m) => m.bot && m.thread_ts === root.ts);
    const last = () => textOf(replies().at(-1)!);
    await slack.waitFor(() => replies().length >= 1, 'first question');
    expect(last()).toMatch(/What is the brand called/);
    const answer = async (text: string, expected: RegExp) => {
      const n = replies().length;
      await slack.say(USER, root.ts, text);
      await slack.waitFor(() => replies().length > n && expected.test(last()), `reply to “${text}”`, 20_000);
    };
    await answer('Brewline', /Primary colour/);
    await answer('#0B3D2E', /Secondary colour/);
    await answer('red', /Secondary colour must be a colour like #1a2b3c\. Try again/);
    await answer('#f2c14e', /Text colour/);
    await answer('#144d3a', /Font\?/);
    await answer('Comic Sans MS', /font “Comic Sans MS” is not installed here/);
    await answer('dejavu serif', /Default call to action/);
    await answer('x'.repeat(200), /Call to action must be at most 120 characters/);
    await answer('Start your first box today', /Web address/);
    await answer('skip', /upload the logo into this thread/);
    const saved = replies().find((m) => textOf(m).includes('Brand kit saved'))!;
    expect(textOf(saved)).toContain('DejaVu Serif');
    // The text colour fails contrast on the panel: said in one line.
    expect(textOf(saved)).toMatch(/text colour #144d3a is hard to read on #0b3d2e/);

    const share = async (name: string, bytes: Buffer, expected: RegExp, declaredSize?: number) => {
      const n = replies().length;
      await slack.shareFile(USER, root.ts, { name, bytes, declaredSize });
      await slack.waitFor(() => replies().length > n && expected.test(last()), `reply to ${name}`, 20_000);
    };
    await share('logo.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), /That is an SVG/);
    expect(last()).toMatch(/The rest of the kit is saved/);
    await share('notes.png', Buffer.from('just some text, named .png'), /not a PNG, JPEG or WebP/);
    const bomb = execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=black:s=10000x10000', '-frames:v', '1'],
      ...['-pix_fmt', 'monob', '-f', 'image2', '-c:v', 'png', '-'],
    ]);
    await share('bomb.png', bomb, /10000x10000 pixels/);
    // 50 MB announced: refused without downloading a byte.
    const before = slack.shared.downloads.length;
    await share('huge.png', Buffer.alloc(10), /at most 5 MB/, 50 * 1024 * 1024);
    expect(slack.shared.downloads.length).toBe(before);
    // 50 MB sent under a small declared size: the download stops just past 5 MB.
    await share('liar.png', Buffer.alloc(50 * 1024 * 1024), /at most 5 MB/, 1000);
    const liar = slack.shared.downloads.at(-1)!;
    expect(liar.authorised).toBe(true);
    await slack.waitFor(() => liar.aborted, 'download aborted');
    expect(liar.bytesSent).toBeLessThan(20 * 1024 * 1024);

    await share('logo.png', pngOf(dir, 'color=0xff00ff@0.8:s=240x120,format=rgba'), /Logo added \(240x120\)/);
    const kit = dbQuery(dir)<{ scope: string; kit: string }>('select scope, kit from brand_kits');
    expect(kit).toHaveLength(1);
    expect(kit[0]!.scope).toBe(`slack:${TEAM}:${root.channel}`);
    const stored = JSON.parse(kit[0]!.kit);
    expect(stored).toMatchObject({ name: 'Brewline', font: 'DejaVu Serif', url: null });
    expect(stored.colours).toEqual({ primary: '#0b3d2e', secondary: '#f2c14e', text: '#144d3a' });
    expect((await probeMedia(stored.logo.path)).video).toMatchObject({
      codec: 'png',
      width: 240,
      height: 120,
    });
    // Every download carried the token; none went anywhere else.
    expect(slack.shared.downloads.every((d) => d.authorised)).toBe(true);

    await slack.slashCommand(USER, 'brand show');
    await slack.waitFor(() => slack.responses.some((r) => /Brewline/.test(String(r.text))), 'show');

    // A new ad: the brief card shows the kit, the run gets a copy, a later clear leaves it be.
    const { inThread } = await driveToStoryboard(slack, USER, 'a cold brew subscription');
    const brief = slack.messages.find(inThread(hasAction('brief.confirm')))!;
    expect(textOf(brief)).toMatch(/Brand kit.*Brewline/);
    await slack.slashCommand(USER, 'brand clear');
    await slack.waitFor(() => slack.responses.some((r) => /Brand kit cleared/.test(String(r.text))), 'clear');
    expect(dbQuery(dir)('select scope from brand_kits')).toEqual([]);
    const [run] = dbQuery(dir)<{ input: string }>('select input from runs');
    const input = JSON.parse(run!.input);
    expect(input.brand).toMatchObject({ name: 'Brewline', logo: { path: stored.logo.path } });
    expect(input.brief.callToAction).toBeTruthy();
  }, 180_000);
});
