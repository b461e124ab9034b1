import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const cli = path.resolve('bin/adgen.mjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Async on purpose: the fakes live in the test process and must keep answering meanwhile. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [cli, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (status) => resolve({ status, stdout, stderr })),
  );
  return { child, done };
}

export const runCli = (args: string[], env: NodeJS.ProcessEnv) => startCli(args, env).done;
