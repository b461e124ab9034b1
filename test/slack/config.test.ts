import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/tmp');

describe('Slack configuration', () => {
  it('is off without a bot token (empty counts as unset)', () => {
    expect(load({}).slack).toBeNull();
    expect(load({ SLACK_BOT_TOKEN: '' }).slack).toBeNull();
  });

  it('defaults to Socket Mode on port 3000', () => {
    expect(load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack).toEqual({
      botToken: 'xoxb-1',
      appToken: 'xapp-1',
      mode: 'socket',
      port: 3000,
      signingSecret: undefined,
      apiUrl: undefined,
    });
  });

  it('reads HTTP mode, port and a test API URL', () => {
    const slack = load({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_MODE: 'http',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
    }).slack;
    expect(slack).toMatchObject({
      mode: 'http',
      port: 8080,
      signingSecret: 'shh',
      apiUrl: 'http://127.0.0.1:9999/api/',
    });
  });

  it('names the missing variable for each mode, without echoing tokens', () => {
    expect(() => load({ SLACK_BOT_TOKEN: 'xoxb-secret' })).toThrow(/SLACK_APP_TOKEN/);
    expect(() => load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'http' })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => load({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_MODE: 'websocket' })).toThrow(ConfigError);
    try {
      load({ SLACK_BOT_TOKEN: 'xoxp-user-token-oops', SLACK_APP_TOKEN: 'xapp-1' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toContain('SLACK_BOT_TOKEN');
      expect((err as Error).message).not.toContain('xoxp-user-token-oops');
    }
  });
});
