import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readCapped } from '../../pipeline/media/logo.ts';
import type { Card } from '../core/cards.ts';
import { reactionFromEmoji } from '../core/emoji.ts';
import type { ChatAdapter, Incoming, ThreadRef } from '../core/ports.ts';
import { type Choice, consoleText, renderCard } from './render-card.ts';
import { consoleThreadIds } from './thread-id.ts';

export interface ConsoleOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  user?: string;
  /** Text of the first `/adgen` (the idea); empty to be asked. */
  idea?: string;
}

/**
 * The same thread in a terminal: bot cards print as text, buttons as numbered choices, `+✅`
 * style lines are reactions on the latest card, `/adgen idea` starts another job.
 */
export function createConsoleAdapter(opts: ConsoleOptions = {}): ChatAdapter & { closed: Promise<void> } {
  const out = opts.output ?? process.stdout;
  const user = opts.user ?? 'you';
  let rl: readline.Interface | undefined;
  let seq = 0;
  let threads = 0;
  let current: ThreadRef | undefined;
  let lastCardId = '';
  let choices: Choice[] = [];
  const uploads = new Map<string, string>();
  // Choices are numbered across everything the bot posts between two lines the user types.
  let freshRound = true;
  let closeResolve!: () => void;
  const closed = new Promise<void>((r) => {
    closeResolve = r;
  });
  const show = (id: string, card: Card) => {
    if (card.buttons?.length || card.selects?.length || card.images?.length) lastCardId = id;
    if (freshRound && (card.buttons?.length || card.selects?.length)) {
      choices = [];
      freshRound = false;
    }
    out.write(`\n${renderCard(card, id, choices)}\n`);
  };
  const eventId = () => `c${Date.now()}-${++seq}`;

  function parseLine(line: string): Incoming | undefined {
    const text = line.trim();
    if (!text) return undefined;
    if (text.startsWith('/adgen')) {
      return {
        type: 'command',
        eventId: eventId(),
        platform: 'console',
        channel: 'local',
        user,
        text: text.slice(6),
      };
    }
    if (!current)
      return { type: 'command', eventId: eventId(), platform: 'console', channel: 'local', user, text };
    if (/^[+-]\S+$/.test(text)) {
      const raw = text.slice(1);
      return {
        type: 'reaction',
        eventId: eventId(),
        platform: 'console',
        channel: current.channel,
        messageId: lastCardId,
        user,
        reaction: reactionFromEmoji(raw),
        raw,
        added: text.startsWith('+'),
      };
    }
    const n = /^\d{1,2}$/.test(text) ? choices[Number(text) - 1] : undefined;
    if (n)
      return {
        type: 'action',
        eventId: eventId(),
        thread: current,
        user,
        messageId: n.messageId,
        action: n.action,
        value: n.value,
      };
    // A terminal has no attachments: `upload PATH` hands the bot a local file (a logo).
    const upload = /^upload\s+(.+)$/i.exec(text);
    if (upload) {
      const file = path.resolve(upload[1]!.trim());
      const sizeBytes = fs.existsSync(file) ? fs.statSync(file).size : undefined;
      const files = [{ id: 'local', name: path.basename(file), sizeBytes, url: pathToFileURL(file).href }];
      return { type: 'message', eventId: eventId(), thread: current, user, text: '', files };
    }
    return { type: 'message', eventId: eventId(), thread: current, user, text };
  }

  return {
    platform: 'console',
    threadIds: consoleThreadIds,
    closed,
    async start(handle) {
      rl = readline.createInterface({ input: opts.input ?? process.stdin, terminal: false });
      rl.on('line', (line) => {
        const e = parseLine(line);
        freshRound = true;
        if (e) void handle(e);
      });
      rl.on('close', () => closeResolve());
      out.write(
        'adgen chat — type your ad idea. Numbers pick choices, +✅ approves, +❌ cancels, "help" explains.\n',
      );
      if (opts.idea !== undefined)
        void handle({
          type: 'command',
          eventId: eventId(),
          platform: 'console',
          channel: 'local',
          user,
          text: opts.idea,
        });
    },
    async stop() {
      rl?.close();
    },
    async openThread(_cmd, card) {
      // Unique across restarts: the database keeps threads from earlier sessions.
      const thread = `${Date.now().toString(36)}${++threads}`;
      current = consoleThreadIds.decode(
        consoleThreadIds.encode({ platform: 'console', channel: 'local', thread }),
      );
      show(`m${++seq}`, card);
      return current;
    },
    async post(thread, card) {
      // A thread resumed after a restart becomes the one typed lines go to.
      current = thread;
      const id = `m${++seq}`;
      show(id, card);
      return id;
    },
    async update(_thread, _id, card) {
      const text = consoleText(card.text);
      if (card.kind === 'status') out.write(`\r${text.split('\n').join(' · ')}\n`);
      // Re-numbering an updated card would shift the choices people are reading: show the change only.
      else
        out.write(
          `\n(updated) ${card.title ?? ''} ${consoleText(card.footer ?? '') || text.split('\n')[0]}\n`,
        );
    },
    async postPrivate(_thread, _user, text) {
      out.write(`\n(only you) ${consoleText(text)}\n`);
    },
    async answerCommand(_command, text) {
      out.write(`\n${consoleText(text)}\n`);
    },
    async upload(_thread, file) {
      const extras = (file.extras ?? []).map((e) => `📄 ${e.path}\n`).join('');
      out.write(`\n${consoleText(file.comment)}\n🎬 ${file.path}\n${extras}`);
      const id = `m${++seq}`;
      uploads.set(file.nonce, id);
      return id;
    },
    // The terminal keeps no history we can read back: only this session's own record.
    async findUpload(_thread, nonce) {
      const id = uploads.get(nonce);
      return id ? { messageId: id } : null;
    },
    uploadLimitBytes: () => null,
    async downloadFile(file, maxBytes) {
      const stream = fs.createReadStream(fileURLToPath(file.url));
      return readCapped(stream, maxBytes, () => stream.destroy());
    },
  };
}
