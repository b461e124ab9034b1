import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src/bot/logger.ts';
import { createSlackAdapter, type SlackAdapter } from '../../src/bot/slack/adapter.ts';
import { boltLogger } from '../../src/bot/slack/log.ts';
import { AppError, NonRetryableError } from '../../src/errors.ts';
import { redactError } from '../../src/redact.ts';
import { FakeSlack } from '../fakes/slack.ts';
import { captured, KINDS, leaks, QUOTED, SECRETS } from './secrets.ts';

let slack: FakeSlack;
let adapter: SlackAdapter;
beforeAll(async () => {
  slack = await FakeSlack.start();
  // The Slack adapter registers its signing secret (plain hex, no token shape) with the redactor.
  const config = slack.slackConfig({
    mode: 'http',
    appToken: undefined,
    signingSecret: SECRETS.signing,
    port: 0,
  });
  adapter = createSlackAdapter(config, { log: silentLogger, retryConfig: { retries: 0 } });
  await adapter.start(async () => {});
});
afterAll(async () => {
  // Bolt checks the token in the background: let that answer land before the fake goes away.
  while (!slack.calls.some((c) => c.method === 'auth.test')) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  await adapter.stop();
  await slack.stop();
});

const parse = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the pino logger redacts every secret kind', () => {
  it.each(KINDS)('%s: in the message, a field, a nested error message and a stack', (kind) => {
    const out = captured();
    const log = createLogger('info', out.dest);
    const text = QUOTED[kind];
    const inner = new Error(`socket closed: ${text}`);
    const withStack = new Error('request failed');
    withStack.stack = `Error: request failed\n    at call (https://x.test/?q=${text})\n    at run (file.ts:1:1)`;

    log.info(`slack said ${text}`);
    log.warn('upload failed', { detail: text, attempt: 2 });
    log.error('step failed', {
      run: { id: 'run-1', error: new AppError('llm_failed', 'could not reach the model', { cause: inner }) },
    });
    log.error('client error', { error: withStack, list: [{ deep: { deeper: text } }] });

    expect(out.lines).toHaveLength(4);
    const records = parse(out.lines); // every line stays valid JSON after scrubbing
    expect(leaks(out.text())).toEqual([]);
    expect(out.text()).toContain('[redacted]');
    // Only the secret goes: the rest of each line is still there to read.
    expect(records[1]).toMatchObject({ level: 'warn', msg: 'upload failed', attempt: 2 });
    const run = records[2]!.run as {
      id: string;
      error: { type: string; message: string; cause: { message: string } };
    };
    expect(run.id).toBe('run-1');
    expect(run.error.message).toBe('could not reach the model');
    expect(run.error.cause.message).toMatch(/^socket closed: /);
    expect((records[3]!.error as { stack: string }).stack).toContain('at run (file.ts:1:1)');
  });

  it('censors fields named like credentials whatever their value, and keeps the rest', () => {
    const out = captured();
    const log = createLogger('info', out.dest);
    const hash = 'ab12'.repeat(16); // lowercase hex: an id we print on purpose, not a token
    log.info('request', {
      token: 'opaque-verification-value',
      headers: { authorization: 'custom-scheme value', 'content-type': 'application/json' },
      config: { signingSecret: 'abc123opaque', apiKey: 'whatever-value' },
      tokens: 42,
      hash,
    });
    const [r] = parse(out.lines);
    expect(r).toMatchObject({
      token: '[redacted]',
      headers: { authorization: '[redacted]', 'content-type': 'application/json' },
      config: { signingSecret: '[redacted]', apiKey: '[redacted]' },
      tokens: 42,
      hash,
    });
    expect(out.text()).not.toMatch(
      /opaque-verification-value|custom-scheme value|abc123opaque|whatever-value/,
    );
  });

  it('honours the level (ADGEN_LOG_LEVEL) and writes JSON lines with a level word and time', () => {
    const out = captured();
    const log = createLogger('warn', out.dest);
    log.info('dropped');
    log.warn('kept', { n: 1 });
    log.error('kept too');
    const records = parse(out.lines);
    expect(records.map((r) => r.msg)).toEqual(['kept', 'kept too']);
    expect(records[0]).toMatchObject({ level: 'warn', n: 1 });
    expect(Date.parse(String(records[0]!.t))).not.toBeNaN();
  });

  it("routes Bolt's logger into it, redacted at every Bolt level", () => {
    const out = captured();
    const bolt = boltLogger(createLogger('info', out.dest), [], LogLevel.DEBUG);
    for (const kind of KINDS) {
      bolt.debug('web api request', {
        headers: { Authorization: `Bearer ${SECRETS.bearer}` },
        body: QUOTED[kind],
      });
      bolt.warn(new Error(QUOTED[kind]));
      bolt.error('socket mode error', QUOTED[kind]);
    }
    expect(out.lines).toHaveLength(KINDS.length * 3);
    expect(leaks(out.text())).toEqual([]);
    expect(parse(out.lines)[0]!.msg).toMatch(/^slack: web api request/);
  });
});

describe('errors rethrown toward the chat (Slack upload)', () => {
  it('keep their class and code, lose every secret in message and stack', () => {
    const text = KINDS.map((k) => QUOTED[k]).join(' | ');
    const err = new NonRetryableError(
      'upload_failed',
      `upload to https://files.slack.com/upload/v1/${'Ab9'.repeat(20)} failed: ${text}`,
    );
    const same = redactError(err);
    expect(same).toBe(err);
    expect(same).toBeInstanceOf(NonRetryableError);
    expect(same.code).toBe('upload_failed');
    expect(leaks(`${same.message}\n${same.stack}`)).toEqual([]);
    expect(same.message).not.toContain('Ab9Ab9Ab9');
    expect(same.message).toMatch(/^upload to https:\/\/files\.slack\.com\/upload\/v1\/\[redacted\] failed: /);
  });
});
