#!/usr/bin/env node
// PostgreSQL's parser (1.7 MB of wasm) is loaded only once a migration holds SQL to read (facts/sql-loader.ts):
// deferred here, before anything imports it, and main comes in through a dynamic import for that reason.
import { deferSqlParser, startQuickly } from './facts/sql-loader.js';

deferSqlParser();
startQuickly();
const { main } = await import('./cli/main.js');

const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
});
process.exitCode = code;
