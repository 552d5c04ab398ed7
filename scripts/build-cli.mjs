#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli.ts) into the one file the package's bin runs, lib/cli.js, over what tsc compiled
 * there (`npm run build` runs tsc, then this). Loading one file instead of ~100 ES modules and their packages is
 * most of the start-up a pre-commit run pays (BENCHMARKS.md). The library (lib/index.js) stays as tsc builds it.
 *
 * Modules the CLI imports lazily stay lazy: esbuild wraps them in functions that run on first import, so
 * `--version` still evaluates no linter and a lint no other reporter. PostgreSQL's parser (libpg-query, which
 * loads its wasm from its own folder) and jiti (TypeScript configs) stay outside, loaded from node_modules only
 * when a run needs them.
 *
 *   node scripts/build-cli.mjs            # writes lib/cli.js
 *   node scripts/build-cli.mjs --out FILE # writes FILE instead
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Bundled CommonJS (commander) calls require() for Node's own modules; ESM output has no require, so the
// bundle makes one for its own location (as the Action's bundle does, scripts/build-action.mjs).
const BANNER = "import { createRequire as __mlCreateRequire } from 'node:module';\nconst require = __mlCreateRequire(import.meta.url);";

export async function buildCli(outfile = path.join(ROOT, 'lib', 'cli.js')) {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  return build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['libpg-query', 'jiti'],
    banner: { js: BANNER },
    // The bin's shebang comes from src/cli.ts; esbuild keeps it on the first line.
    legalComments: 'eof',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    metafile: true,
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i === -1 ? undefined : path.resolve(process.argv[i + 1] ?? '');
  await buildCli(out);
}
