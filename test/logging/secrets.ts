import type { DestinationStream } from 'pino';

/**
 * One credential of each kind adgen handles, as the platform shapes it, and a sentence that
 * quotes it the way an SDK error or a debug line would.
 */
export const SECRETS = {
  slackBot: 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx',
  slackApp: 'xapp-1-A0123456789-1234567890123-0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  slackUser: 'xoxp-1111111111-2222222222-3333333333-0a1b2c3d4e5f6a7b',
  discordBot: 'MTE4NjIyNDgzNDcxOTI1MjQ4OQ.GaBcDe.ZnCjm1XVW7vRze4b7Cq4se7kKWsQxYz12345',
  replicate: 'r8_AbCdEf0123456789GhIjKl0123456789MnOp',
  openai: 'sk-proj-AbCdEf0123456789GhIjKlMnOpQrStUvWx',
  bearer: 'opaque.access-token_9f8e7d6c5b4a3210',
  /** Slack signing secrets are plain hex: only known by value (the adapter registers it). */
  signing: 'c0ffee00deadbeef0123456789abcdef',
  slackWebhook: 'Zq8Xw2Vb7Nm4Lk1Jh6Gf3Ds9',
  discordWebhook: 'hJ3kL9mN2bV5cX8zA1sD4fG7hJ0kL3mN6bV9cX2zA5sD8fG',
  interaction: 'aW50ZXJhY3Rpb246MTI0NTY3ODkwMTIzNDU2Nzg5OnRva2VuOnNlY3JldA',
} as const;

export type SecretKind = keyof typeof SECRETS;

export const QUOTED: Record<SecretKind, string> = {
  slackBot: `token=${SECRETS.slackBot}`,
  slackApp: `apps.connections.open with ${SECRETS.slackApp} failed`,
  slackUser: `user token ${SECRETS.slackUser} was revoked`,
  discordBot: `Authorization: Bot ${SECRETS.discordBot}`,
  replicate: `Replicate said: invalid token ${SECRETS.replicate}`,
  openai: `Incorrect API key provided: ${SECRETS.openai}.`,
  bearer: `{"authorization":"Bearer ${SECRETS.bearer}"}`,
  signing: `signature check against ${SECRETS.signing} failed`,
  slackWebhook: `POST https://hooks.slack.com/services/T0001/B0002/${SECRETS.slackWebhook} 404`,
  discordWebhook: `POST https://discord.com/api/v10/webhooks/123456789012345678/${SECRETS.discordWebhook}?wait=true`,
  interaction: `PATCH /api/v10/webhooks/987654321098765432/${SECRETS.interaction}/messages/@original 404; POST /api/v10/interactions/1234567890/${SECRETS.interaction}/callback`,
};

export const KINDS = Object.keys(SECRETS) as SecretKind[];

/** The parts of a secret that must not appear: all of it, and its tail (a partial quote). */
export function leaks(text: string): string[] {
  return KINDS.filter((k) => text.includes(SECRETS[k]) || text.includes(SECRETS[k].slice(-12)));
}

/** A pino destination that keeps every line written. */
export function captured() {
  const lines: string[] = [];
  const dest: DestinationStream = { write: (s: string) => void lines.push(s) };
  return { dest, lines, text: () => lines.join('') };
}
