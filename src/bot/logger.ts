import type { Logger } from './core/context.ts';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** JSON lines on stderr. Callers pass ids and messages, never tokens or request headers. */
export function createLogger(
  level: keyof typeof LEVELS = 'info',
  stream: NodeJS.WritableStream = process.stderr,
): Logger {
  const write = (lvl: keyof typeof LEVELS, msg: string, extra?: Record<string, unknown>) => {
    if (LEVELS[lvl] < LEVELS[level]) return;
    stream.write(`${JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...extra })}\n`);
  };
  return {
    info: (m, x) => write('info', m, x),
    warn: (m, x) => write('warn', m, x),
    error: (m, x) => write('error', m, x),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
