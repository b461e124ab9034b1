import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** `adgen chat` in a child process, driven through its stdin like a person at a terminal. */
export function startChat(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, ['bin/adgen.mjs', 'chat', ...args], {
    env,
  }) as ChildProcessWithoutNullStreams;
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    out += c;
  });
  child.stderr.resume();
  const waitFor = async (re: RegExp, from = 0, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const m = re.exec(out.slice(from));
      if (m) return m;
      await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`timed out waiting for ${re}; output so far:\n${out.slice(-2000)}`);
  };
  const choice = async (label: RegExp, from = 0) => {
    const m = await waitFor(new RegExp(`\\[(\\d+)\\] ${label.source}`), from);
    return m[1]!;
  };
  return {
    child,
    output: () => out,
    waitFor,
    choice,
    type: (line: string) => child.stdin.write(`${line}\n`),
    /** Answers the brief questions one by one, each after the bot has replied to the last. */
    async answer(lines: string[]) {
      for (const line of lines) {
        const at = out.length;
        child.stdin.write(`${line}\n`);
        await waitFor(/\S/, at);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async kill() {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((r) => child.once('exit', r));
    },
    async quit() {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((r) => child.once('exit', r));
    },
  };
}
