import { PassThrough } from 'node:stream';
import { createConsoleAdapter } from '../../src/bot/console/adapter.ts';
import { adapterContract, type Shown } from './adapter-contract.ts';

/** Numbered lines are choices; an unnumbered line right before more choices is a select's placeholder. */
function choices(chunk: string): { buttons: number; selects: number } {
  const lines = chunk.split('\n');
  let buttons = 0;
  let selects = 0;
  let seen = false;
  for (const [i, line] of lines.entries()) {
    const numbered = /^ {2}\[\d+\] /.test(line);
    if (numbered && selects === 0) buttons++;
    else if (!numbered && seen && /^ {2}\[\d+\] /.test(lines[i + 1] ?? '')) selects++;
    seen ||= numbered;
  }
  return { buttons, selects };
}

adapterContract('console', async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (b: Buffer) => chunks.push(b.toString()));
  const adapter = createConsoleAdapter({ input, output, user: 'you' });
  const line = async (text: string) => {
    input.write(`${text}\n`);
    await new Promise((r) => setTimeout(r, 20));
  };
  return {
    adapter,
    user: 'you',
    // The terminal's sender is its output: nothing to connect.
    makeSender: () => createConsoleAdapter({ output, user: 'you' }),
    connections: () => 0,
    command: (text) => line(`/adgen ${text}`),
    say: (_thread, text) => line(text),
    async click() {
      const numbers = [...chunks.join('').matchAll(/\[(\d+)\] /g)];
      await line(numbers.at(-1)![1]!);
    },
    react: (_channel, _id, added) => line(`${added ? '+' : '-'}❌`),
    // The terminal shows cards in order: the newest chunk is the card just posted or updated.
    shown(): Shown | undefined {
      const chunk = chunks.at(-1);
      if (!chunk) return undefined;
      return { text: chunk, images: (chunk.match(/🖼/g) ?? []).length, ...choices(chunk) };
    },
    privates: () => chunks.filter((c) => c.startsWith('\n(only you)') || c.includes('adgen makes')),
    mentionSyntax: '@you',
    reactsOnAnyMessage: false,
    uploadLimit: null,
    async stop() {
      await adapter.stop();
    },
  };
});
