import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChat } from '../helpers/chat-process.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-chat-edits-'));
const env = { ...process.env, ADGEN_DATA_DIR: dir, ADGEN_PROFILE: 'tiny', ADGEN_FORCE_OFFLINE: 'true' };

/** The rendered video's upload (a free preview's file is named preview-…). */
const VIDEO = /🎬 (?!\S*preview-)\S+\.mp4/;

describe('adgen chat: steering the ad in words from the terminal', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('edits the brief, the storyboard and, after the video, the music', async () => {
    const c = startChat(env, ['a solar phone charger for hikers']);
    try {
      await c.waitFor(/Who is it for/);
      await c.answer([
        'weekend hikers',
        'adventurous, calm',
        'natural, earthy',
        'Charges in sunlight',
        'Order today',
      ]);
      let at = c.output().length;
      c.type('make the audience Gen Z gamers');
      await c.waitFor(/Audience → “Gen Z gamers”[\s\S]*Audience: Gen Z gamers[\s\S]*Looks good/, at);
      c.type(await c.choice(/Looks good/, at));
      c.type(await c.choice(/Select /));
      await c.waitFor(/Approve & render/);

      at = c.output().length;
      c.type('swap scenes 3 and 4');
      await c.waitFor(/Swapping scenes 3 and 4: nothing is made again/, at);
      await c.waitFor(/Approve & render/, at);
      at = c.output().length;
      c.type("end with 'Try Lumo free for 30 days'");
      await c.waitFor(/On screen: “Try Lumo free for 30 days”/, at);
      at = c.output().length;
      c.type('is this any good?');
      await c.waitFor(/The storyboard is ready: approve it to render, or change it in words/, at);

      at = c.output().length;
      c.type('+✅');
      await c.waitFor(VIDEO, at, 120_000);
      at = c.output().length;
      c.type('new music, more upbeat');
      await c.waitFor(/New music: “more upbeat”, \d+ → \d+ bpm/, at);
      // The next version starts from a storyboard to approve, with the music note on record.
      await c.waitFor(/Approve & render/, at);
      // One storyboard card per revision: the first, after the swap, the words, the music.
      expect(c.output().match(/Approve & render/g)).toHaveLength(4);
      expect(c.output().match(new RegExp(VIDEO.source, 'g'))).toHaveLength(1);
      // The latest storyboard revision gets its free preview (one replaced within seconds may not);
      // it is made after the card is shown, so under load it may come a little later.
      await c.waitFor(/🎬 \S*preview-sb-\S+-mu1\.mp4/, at);
    } finally {
      await c.quit();
    }
  }, 240_000);
});
