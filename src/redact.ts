/**
 * The one redaction list. Everything the logger writes and every error text that may be shown in
 * chat passes through `redact`: APIs echo credentials in their errors (OpenAI's 401 quotes part of
 * the key, Bolt and discord.js can print request options and webhook URLs).
 */
const MARK = '[redacted]';

/**
 * Token shapes, redacted even when they are not ours or only partly quoted. No class here matches
 * `"` or `\`, so the same list can scrub a serialized JSON line without breaking it.
 */
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  // Slack bot/user/app/config/refresh tokens (xoxb-, xoxp-, xoxa-, xoxe-, xapp-, xoxe.).
  [/\b(?:xox[a-z]-|xapp-|xoxe\.)[A-Za-z0-9.-]+/g, MARK],
  // Discord bot token: base64 user id . timestamp . HMAC (JWTs have the same shape).
  [/[\w-]{20,}\.[\w-]{5,}\.[\w-]{20,}/g, MARK],
  // OpenAI keys (sk-, sk-proj-, also masked sk-abc***wxyz) and Replicate tokens.
  [/\b(?:sk-[A-Za-z0-9_*-]{6,}|r8_[A-Za-z0-9*]{6,})/g, MARK],
  // Authorization headers; Discord's `Bot <token>` is caught by the header name and the token shape.
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=*-]+/gi, `$1${MARK}`],
  [/(authorization["']?\s*[:=]\s*["']?)[^\s"'\\,;}]+(?:\s+[^\s"'\\,;}]+)?/gi, `$1${MARK}`],
  // Interaction and webhook tokens inside Discord URLs: .../webhooks/{app}/{token}, .../interactions/{id}/{token}.
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9._-]+/g, `$1${MARK}`],
  // Slack upload URLs (files.uploadV2) carry a one-time credential in the path.
  [/(\/upload\/v1\/)[A-Za-z0-9_-]{20,}/g, `$1${MARK}`],
  // Slack response_url and incoming webhooks carry their secret in the path.
  [/(hooks\.slack\.com\/(?:commands|services|actions|workflows|triggers)\/)[A-Za-z0-9/_-]+/g, `$1${MARK}`],
  // The password of a database URL (ADGEN_DATABASE_URL), whoever's it is.
  [/(postgres(?:ql)?:\/\/[^:/@\s"'\\]+:)[^@\s"'\\]+@/gi, `$1${MARK}@`],
  // Slack signing secret / verification token as a query or form field.
  [/\b((?:signing_?secret|verification_?token|client_?secret)=)[^\s&"'\\]+/gi, `$1${MARK}`],
];

/**
 * Long base64url runs with mixed case are interaction tokens (hundreds of characters); lowercase
 * hex of the same length (hashes, ids we print on purpose) is left alone.
 */
const LONG_RUN = /[A-Za-z0-9_-]{60,}/g;
const looksRandom = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s) && /\d/.test(s);

/** Secret values of this process (tokens from the config), redacted wherever they appear. */
const known = new Set<string>();

/** Short values would blank ordinary words; every real credential is far longer. */
const MIN_SECRET_LENGTH = 6;

export function registerSecrets(...values: readonly (string | null | undefined)[]): void {
  for (const v of values) if (v && v.length >= MIN_SECRET_LENGTH) known.add(v);
}

/** Removes every known secret and token shape from `text` (plus `extra` values given by the caller). */
export function redact(text: string, extra: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const s of [...known, ...extra]) if (s && s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(MARK);
  for (const [re, to] of TOKEN_PATTERNS) out = out.replace(re, to);
  return out.replace(LONG_RUN, (run) => (looksRandom(run) ? MARK : run));
}

/**
 * The same error with its message and stack redacted in place, so its class and code (which retry
 * rules and callers read) survive: for SDK errors an adapter rethrows toward the chat.
 */
export function redactError<E>(err: E): E {
  if (err instanceof Error) {
    err.message = redact(err.message);
    if (err.stack) err.stack = redact(err.stack);
  }
  return err;
}

/** `redact`, then cut to `max` characters: for one-line messages shown to people. */
export function redactClip(
  text: string,
  max: number,
  extra: readonly (string | null | undefined)[] = [],
): string {
  const out = redact(text, extra);
  return out.length > max ? `${out.slice(0, max)}…` : out;
}

/** Field names whose value is a credential whatever it looks like (compared without case, `_`, `-`). */
const SECRET_KEYS = new Set([
  'token',
  'bottoken',
  'apptoken',
  'usertoken',
  'accesstoken',
  'refreshtoken',
  'apitoken',
  'apikey',
  'secret',
  'signingsecret',
  'clientsecret',
  'webhooksecret',
  'password',
  'authorization',
  'cookie',
  'setcookie',
  'responseurl',
  'webhookurl',
  'interactiontoken',
]);

export const isSecretKey = (key: string) => SECRET_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));

/** The pino `redact` paths for the same keys (top level and one level down, as pino matches them). */
export const SECRET_KEY_PATHS: readonly string[] = [
  'token',
  'botToken',
  'appToken',
  'apiKey',
  'apiToken',
  'signingSecret',
  'secret',
  'password',
  'authorization',
  'response_url',
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
].flatMap((p) => [p, `*.${p}`]);

const MAX_DEPTH = 6;

/**
 * A log field made safe to serialize: strings redacted, secret-named keys censored, errors turned
 * into {type, message, code, stack, cause} with each part redacted, cycles and depth cut.
 */
export function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  try {
    return scrubObject(value, depth, seen);
  } finally {
    seen.delete(value); // only the current path counts: the same object twice is not a cycle
  }
}

function scrubObject(value: object, depth: number, seen: WeakSet<object>): unknown {
  if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  // An SDK error's own fields (status, code, request url and body) are kept, scrubbed like the rest.
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? MARK : scrub(v, depth + 1, seen);
  if (!(value instanceof Error)) return out;
  return {
    type: value.name,
    message: redact(value.message),
    ...out,
    ...(value.stack ? { stack: redact(value.stack) } : {}),
    ...(value.cause !== undefined ? { cause: scrub(value.cause, depth + 1, seen) } : {}),
  };
}
