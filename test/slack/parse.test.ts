import { describe, expect, it } from 'vitest';
import { parseSlackBody } from '../../src/bot/slack/parse.ts';
import { reactionKind } from '../../src/bot/slack/reactions.ts';
import { redact } from '../../src/redact.ts';

const opts = { command: '/adgen', botUserId: 'UBOT' };
const callback = (event: object) => ({ type: 'event_callback', event_id: 'Ev1', event });

describe('parseSlackBody', () => {
  it('maps a slash command, unescaping Slack entities', () => {
    const r = parseSlackBody(
      {
        command: '/adgen',
        text: 'a &lt;b&gt; &amp; c',
        user_id: 'U1',
        channel_id: 'C1',
        team_id: 'T1',
        trigger_id: '1.2.3',
      },
      opts,
    );
    expect(r).toEqual({
      kind: 'event',
      event: {
        type: 'command',
        platform: 'slack',
        eventId: '1.2.3',
        user: 'U1',
        channel: 'C1',
        text: 'a <b> & c',
        // Brand kits are per workspace and channel.
        scope: 'slack:T1:C1',
        // Budgets are per workspace.
        workspace: 'slack:T1',
      },
    });
  });

  it('maps a file shared into a thread to a message with its files (name never trusted)', () => {
    const file = {
      id: 'F1',
      name: '../../etc/passwd.png',
      size: 1234,
      url_private: 'https://files.slack.com/files-pri/T1-F1/logo.png',
      url_private_download: 'https://files.slack.com/files-pri/T1-F1/download/logo.png',
    };
    const event = {
      type: 'message',
      subtype: 'file_share',
      user: 'U1',
      text: '',
      ts: '2.5',
      thread_ts: '1.5',
    };
    const r = parseSlackBody(
      { type: 'event_callback', event_id: 'Ev1', event: { ...event, channel: 'C1', files: [file] } },
      opts,
    );
    expect(r).toMatchObject({
      kind: 'event',
      event: { type: 'message', files: [{ id: 'F1', sizeBytes: 1234, url: file.url_private_download }] },
    });
    const bad = { ...event, channel: 'C1', files: [{ ...file, size: -1 }] };
    expect(parseSlackBody({ type: 'event_callback', event: bad }, opts).kind).toBe('invalid');
  });

  it('ignores other commands, bot messages, subtypes and top-level messages', () => {
    const msg = {
      type: 'message',
      user: 'U1',
      text: 'hi',
      ts: '2.000001',
      thread_ts: '1.000001',
      channel: 'C1',
    };
    expect(
      parseSlackBody({ command: '/other', text: '', user_id: 'U1', channel_id: 'C1', trigger_id: 't' }, opts)
        .kind,
    ).toBe('ignored');
    expect(parseSlackBody(callback({ ...msg, bot_id: 'B1' }), opts).kind).toBe('ignored');
    expect(parseSlackBody(callback({ ...msg, user: 'UBOT' }), opts).kind).toBe('ignored');
    expect(parseSlackBody(callback({ ...msg, subtype: 'message_changed' }), opts).kind).toBe('ignored');
    expect(parseSlackBody(callback({ ...msg, thread_ts: undefined }), opts).kind).toBe('ignored');
    expect(parseSlackBody(callback(msg), opts)).toMatchObject({
      kind: 'event',
      event: {
        type: 'message',
        eventId: 'Ev1',
        thread: { platform: 'slack', channel: 'C1', thread: '1.000001' },
      },
    });
    const { event_id: _, ...noId } = callback(msg);
    expect(parseSlackBody(noId, opts)).toMatchObject({ event: { eventId: 'C1:2.000001' } });
  });

  it('reads the thread of an action from container, message.thread_ts or message.ts', () => {
    const base = {
      type: 'block_actions',
      user: { id: 'U1' },
      channel: { id: 'C1' },
      actions: [{ type: 'button', action_id: 'mood.select:2', value: '3', action_ts: '9.1' }],
    };
    const root = parseSlackBody({ ...base, container: { message_ts: '5.1' }, message: { ts: '5.1' } }, opts);
    expect(root).toMatchObject({
      event: {
        type: 'action',
        action: 'mood.select',
        value: '3',
        messageId: '5.1',
        thread: { thread: '5.1' },
      },
    });
    const reply = parseSlackBody({ ...base, message: { ts: '6.1', thread_ts: '5.1' } }, opts);
    expect(reply).toMatchObject({
      event: { messageId: '6.1', thread: { channel: 'C1', thread: '5.1' }, eventId: '9.1:U1:mood.select:2' },
    });
  });

  it('reports malformed payloads as invalid with paths only', () => {
    const r = parseSlackBody(
      { type: 'block_actions', user: {}, actions: [{ type: 'datepicker', action_id: 'x' }] },
      opts,
    );
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.issues.join(' ')).toContain('user.id');
    expect(parseSlackBody({ command: '/adgen', user_id: 'U1' }, opts).kind).toBe('invalid');
    expect(parseSlackBody(callback({ type: 'message', ts: 'nope', channel: 'C:1' }), opts).kind).toBe(
      'invalid',
    );
    expect(parseSlackBody(null, opts).kind).toBe('ignored');
    expect(parseSlackBody('x', opts).kind).toBe('ignored');
  });

  it('maps reactions and ignores ones on files', () => {
    const ev = (reaction: string, type = 'reaction_added') =>
      parseSlackBody(
        callback({ type, user: 'U2', reaction, item: { type: 'message', channel: 'C1', ts: '7.1' } }),
        opts,
      );
    expect(ev('white_check_mark')).toMatchObject({
      event: {
        type: 'reaction',
        reaction: 'approve',
        raw: 'white_check_mark',
        added: true,
        messageId: '7.1',
        channel: 'C1',
      },
    });
    expect(ev('x', 'reaction_removed')).toMatchObject({ event: { reaction: 'cancel', added: false } });
    const file = callback({
      type: 'reaction_added',
      user: 'U2',
      reaction: 'x',
      item: { type: 'file', file: 'F1' },
    });
    expect(parseSlackBody(file, opts).kind).toBe('ignored');
  });
});

describe('reactionKind', () => {
  it.each([
    ['white_check_mark', 'approve'],
    ['heavy_check_mark', 'approve'],
    ['+1', 'other'],
    ['+1::skin-tone-3', 'other'],
    ['repeat', 'regenerate'],
    ['arrows_counterclockwise', 'regenerate'],
    ['x', 'cancel'],
    ['no_entry', 'cancel'],
    ['one', 'vote-1'],
    ['two', 'vote-2'],
    ['three', 'vote-3'],
    ['tada', 'other'],
  ])('%s -> %s', (name, kind) => expect(reactionKind(name)).toBe(kind));
});

describe('redact', () => {
  it('removes Slack tokens and given secrets', () => {
    const line = 'token=xoxb-123-456-abcdef app=xapp-1-A0-99-ffee secret=s3cr3tvalue ok';
    expect(redact(line, ['s3cr3tvalue'])).toBe('token=[redacted] app=[redacted] secret=[redacted] ok');
  });
});
