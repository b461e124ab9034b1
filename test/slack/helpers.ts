import type { Logger } from '../../src/bot/core/context.ts';
import type { Incoming } from '../../src/bot/core/ports.ts';

/** A stand-in for the bot core: records what the adapter hands it. */
export function recorder() {
  const events: Incoming[] = [];
  return {
    events,
    handle: async (e: Incoming) => {
      events.push(e);
    },
    async next<T extends Incoming['type']>(type: T, from = 0, timeoutMs = 3000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const e = events.slice(from).find((x) => x.type === type);
        if (e) return e as Extract<Incoming, { type: T }>;
        if (Date.now() > end) throw new Error(`no ${type} event`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

/** A logger that keeps every line, so tests can assert what was (not) logged. */
export function memoryLogger() {
  const lines: string[] = [];
  const write = (level: string) => (msg: string, extra?: Record<string, unknown>) => {
    lines.push(`${level} ${msg} ${extra ? JSON.stringify(extra) : ''}`);
  };
  const log: Logger = { info: write('info'), warn: write('warn'), error: write('error') };
  return { log, lines };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
