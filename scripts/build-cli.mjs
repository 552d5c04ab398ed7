#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli.ts) into the one file the package's bin runs, lib/cli.js, over what tsc compiled
 * there (`npm run build` runs tsc, then this). Loading one file instead of ~100 ES modules and their packages is
 * a large part of the start-up a pre-commit run pays (BENCHMARKS.md). The library (lib/index.js) stays as tsc
 * builds it.
 *
 * Modules the CLI imports lazily stay lazy: esbuild wraps them in functions that run on first import, so
 * `--version` still evaluates no linter and a lint no other reporter. PostgreSQL's parser (libpg-query, which
 * loads its wasm from its own folder), jiti (TypeScript configs), node-postgres (--database-url) and the language
 * server's protocol library (`migration-lint lsp`) stay outside, loaded from node_modules only when a run needs them.
 *
 *   node scripts/build-cli.mjs            # writes lib/cli.js
 *   node scripts/build-cli.mjs --out FILE # writes FILE instead
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundle } from './build-action.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli(outfile = path.join(ROOT, 'lib', 'cli.js')) {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  return nodeBundle('src/cli.ts', outfile, { external: ['libpg-query', 'jiti', 'pg', 'vscode-languageserver', 'vscode-languageserver-textdocument'] });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  await buildCli(i === -1 ? undefined : path.resolve(process.argv[i + 1] ?? ''));
}
