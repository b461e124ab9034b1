#!/usr/bin/env node
// Runs a TypeScript entry point (e.g. a benchmark) under tsx without a build step:
// `node bin/run-ts.mjs path/to/file.ts`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const target = process.argv[2];
if (!target) {
  console.error('usage: node bin/run-ts.mjs <file.ts> [args...]');
  process.exit(2);
}
register();
await import(pathToFileURL(resolve(process.cwd(), target)).href);
