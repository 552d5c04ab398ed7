#!/usr/bin/env node
/**
 * Bundles the GitHub Action (src/action/index.ts) into dist/index.js, the file action.yml runs. dist/ is
 * committed (runners do not install dependencies), and test/action/dist.test.ts rebuilds into a temp folder
 * and fails when the committed bundle differs: the check-dist convention of the TypeScript action template.
 *
 *   node scripts/build-action.mjs            # writes dist/
 *   node scripts/build-action.mjs --out DIR  # writes DIR/ instead (the staleness check)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Files copied beside the bundle: libpg-query's parser is wasm, loaded from `__dirname` at run time. */
export const ASSETS = [['node_modules/libpg-query/wasm/libpg-query.wasm', 'libpg-query.wasm']];

// Bundled CommonJS (undici, emscripten's loader) calls require() and reads __dirname/__filename; ESM output
// has neither, so the bundle defines them for its own location.
const BANNER = [
  "import { createRequire as __mlCreateRequire } from 'node:module';",
  "import { fileURLToPath as __mlFileURLToPath } from 'node:url';",
  "import { dirname as __mlDirname } from 'node:path';",
  'const require = __mlCreateRequire(import.meta.url);',
  'const __filename = __mlFileURLToPath(import.meta.url);',
  'const __dirname = __mlDirname(__filename);',
].join('\n');

/** esbuild's options for one ESM bundle of `entry` that runs on Node 20+ (the Action's and the CLI's). */
export function nodeBundle(entry, outfile, extra = {}) {
  return build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Runners use node24 (action.yml); node20 keeps the bundle runnable by the tests on older machines.
    target: 'node20',
    banner: { js: BANNER },
    legalComments: 'eof',
    sourcemap: false,
    minify: false,
    logLevel: 'warning',
    metafile: true,
    ...extra,
  });
}

export async function buildAction(outDir = path.join(ROOT, 'dist')) {
  fs.mkdirSync(outDir, { recursive: true });
  const result = await nodeBundle('src/action/index.ts', path.join(outDir, 'index.js'));
  for (const [from, to] of ASSETS) fs.copyFileSync(path.join(ROOT, from), path.join(outDir, to));
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i === -1 ? undefined : path.resolve(process.argv[i + 1] ?? '');
  const result = await buildAction(out);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  process.stdout.write(`dist: ${(bytes / 1024).toFixed(0)} KiB bundled\n`);
}
