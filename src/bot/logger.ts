import pino, { type DestinationStream } from 'pino';
import { redact, SECRET_KEY_PATHS, scrub } from '../redact.ts';
import type { Logger } from './core/context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The pino instance behind the `Logger` port: JSON lines, level as a word, ISO time in `t`.
 * Redaction happens three times on purpose: pino's `redact` paths censor known secret keys, the
 * `log` formatter scrubs every field (strings, nested errors and their stacks), and the written
 * line is scrubbed once more for token shapes, so nothing a serializer adds can leak.
 */
export function createPino(level: LogLevel, destination: DestinationStream) {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: () => `,"t":"${new Date().toISOString()}"`,
      redact: { paths: [...SECRET_KEY_PATHS], censor: '[redacted]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => scrub(fields) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redact(a) : a)) as Parameters<typeof method>,
          );
        },
        streamWrite: (line) => redact(line),
      },
    },
    destination,
  );
}

/**
 * JSON lines on stderr, written synchronously: a crash (or SIGKILL in the crash tests) must not
 * lose the lines that explain it. Tests pass their own `destination` to read what was written.
 */
export function createLogger(
  level: LogLevel = 'info',
  destination: DestinationStream = pino.destination({ dest: 2, sync: true }),
): Logger {
  const p = createPino(level, destination);
  return {
    info: (msg, extra) => p.info(extra ?? {}, msg),
    warn: (msg, extra) => p.warn(extra ?? {}, msg),
    error: (msg, extra) => p.error(extra ?? {}, msg),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
