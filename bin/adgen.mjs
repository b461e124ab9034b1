#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no build step between a clone and a demo.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
const { ConfigError } = await import('../src/config.ts');
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  // Config errors and argument errors: a message, not a stack trace.
  const usage =
    err instanceof ConfigError ||
    err?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
    err?.code?.startsWith?.('ERR_PARSE_ARGS');
  console.error(`adgen: ${err?.message ?? err}`);
  process.exitCode = usage ? 2 : 1;
}
