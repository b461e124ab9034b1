import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Card } from '../../src/bot/core/cards.ts';
import type { Logger } from '../../src/bot/core/context.ts';
import type { Incoming, ThreadRef } from '../../src/bot/core/ports.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/bot/discord/adapter.ts';
import { FakeDiscord, type FakeDiscordOptions } from '../fakes/discord.ts';

export const ROOT_CARD: Card = {
  kind: 'text',
  title: '🎬 New video ad',
  text: 'Everything happens in this thread.',
};

/**
 * The real adapter + real discord.js against the fake, with a tiny recording handler that acts
 * like the core does for commands (opens the thread while handling the event).
 */
export async function startHarness(opts: FakeDiscordOptions & { commandDelayMs?: number } = {}) {
  const fake = await FakeDiscord.start(opts);
  const logs: string[] = [];
  const log: Logger = {
    info: (m, x) => logs.push(`info ${m} ${JSON.stringify(x ?? {})}`),
    warn: (m, x) => logs.push(`warn ${m} ${JSON.stringify(x ?? {})}`),
    error: (m, x) => logs.push(`error ${m} ${JSON.stringify(x ?? {})}`),
  };
  const adapter: DiscordAdapter = createDiscordAdapter(fake.config(), { log });
  const events: Incoming[] = [];
  const threads: ThreadRef[] = [];
  await adapter.start(async (e) => {
    events.push(e);
    if (e.type !== 'command') return;
    if (opts.commandDelayMs) await new Promise((r) => setTimeout(r, opts.commandDelayMs));
    threads.push(await adapter.openThread(e, ROOT_CARD));
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adgen-discord-test-'));
  return {
    fake,
    adapter,
    events,
    threads,
    logs,
    /** A local file of `size` bytes (content varies with `seed`). */
    file(name: string, size: number, seed = 1): string {
      const p = path.join(dir, name);
      fs.writeFileSync(p, Buffer.alloc(size, seed));
      return p;
    },
    event<T extends Incoming['type']>(
      type: T,
      pred: (e: Extract<Incoming, { type: T }>) => boolean = () => true,
    ) {
      return fake.waitFor(() =>
        events.find(
          (e): e is Extract<Incoming, { type: T }> =>
            e.type === type && pred(e as Extract<Incoming, { type: T }>),
        ),
      );
    },
    async stop() {
      await adapter.stop();
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
