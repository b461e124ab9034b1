import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { redact } from '../../redact.ts';
import type { Logger } from '../core/context.ts';

function stringify(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return `${p.name}: ${p.message}`;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ')
    .slice(0, 2000);
}

const ORDER = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * Bolt's logger interface on top of the project logger. Bolt and the Web API client can echo
 * request options in debug/error output, so each line is redacted here as well as by the logger.
 */
export function boltLogger(log: Logger, secrets: readonly (string | undefined)[], level = LogLevel.WARN) {
  let current = level;
  const enabled = (l: LogLevel) => ORDER.indexOf(l) >= ORDER.indexOf(current);
  const line = (parts: unknown[]) => redact(stringify(parts), secrets);
  const logger: BoltLogger = {
    debug: (...m) => {
      if (enabled(LogLevel.DEBUG)) log.info(`slack: ${line(m)}`);
    },
    info: (...m) => {
      if (enabled(LogLevel.INFO)) log.info(`slack: ${line(m)}`);
    },
    warn: (...m) => {
      if (enabled(LogLevel.WARN)) log.warn(`slack: ${line(m)}`);
    },
    error: (...m) => {
      if (enabled(LogLevel.ERROR)) log.error(`slack: ${line(m)}`);
    },
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => {},
  };
  return logger;
}
