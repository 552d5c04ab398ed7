/**
 * `npm run rules`: writes what follows from the rule files, so that adding a rule is adding its file (and its
 * docs page and fixture cases) only. From src/rules/*.ts (a rule file is one with a default export: a
 * `defineRule(…)` or `defineChangeRule(…)`) it writes the registry src/rules/index.ts, then, from the rules' metadata, the rules table
 * of README.md. test/registry.test.ts fails while either is stale. Run with tsx (it imports the TypeScript
 * registry): `node --import tsx scripts/gen-rules.ts` (`--check` only compares).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Rule } from '../src/rules/types.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RULES_DIR = path.join(ROOT, 'src/rules');
const README = path.join(ROOT, 'README.md');
const TABLE_HEAD = '| rule | default | fixable | what it catches |\n|---|---|---|---|\n';

/** The ids of the rule files, sorted. */
export function ruleFileIds(dir = RULES_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && /^export default /m.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    .map((f) => f.slice(0, -3))
    .sort();
}

const camel = (id: string): string => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** src/rules/index.ts for these rule ids. */
export function registrySource(ids: string[]): string {
  return [
    '/**',
    ' * The rule registry, written by `npm run rules` (scripts/gen-rules.ts) from the rule files: do not edit.',
    ' * test/registry.test.ts checks that it is current, and that every rule has its docs page and fixtures.',
    ' */',
    "import type { Rule } from './types.js';",
    ...ids.map((id) => `import ${camel(id)} from './${id}.js';`),
    '',
    '// Rules take their own option types; the registry only needs the common shape.',
    'export const rules: Rule[] = [',
    ...ids.map((id) => `  ${camel(id)},`),
    '] as Rule[];',
    '',
    'export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));',
    '',
  ].join('\n');
}

/** The README's rules table for these rules' metadata. */
export function readmeTable(rules: Rule[]): string {
  const rows = rules.map(
    ({ meta }) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.defaultSeverity} | ${meta.fixable ? 'yes' : 'no'} | ${meta.description.replace(/\|/g, '\\|')} |\n`,
  );
  return TABLE_HEAD + rows.join('');
}

/** README.md with its rules table replaced (the table after `## Rules`). */
export function withReadmeTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_HEAD, readme.indexOf('\n## Rules\n'));
  if (start === -1) throw new Error('README.md: no rules table under `## Rules`');
  let end = start + TABLE_HEAD.length;
  while (readme.startsWith('| ', end)) end = readme.indexOf('\n', end) + 1;
  return readme.slice(0, start) + table + readme.slice(end);
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  const write = (file: string, text: string) => {
    if (fs.readFileSync(file, 'utf8') === text) return;
    stale.push(path.relative(ROOT, file));
    if (!check) fs.writeFileSync(file, text);
  };
  write(path.join(RULES_DIR, 'index.ts'), registrySource(ruleFileIds()));
  const { rules } = (await import(pathToFileURL(path.join(RULES_DIR, 'index.ts')).href)) as { rules: Rule[] };
  write(README, withReadmeTable(fs.readFileSync(README, 'utf8'), readmeTable(rules)));
  if (check && stale.length) {
    console.error(`stale: ${stale.join(', ')}: run \`npm run rules\``);
    process.exit(1);
  }
  for (const f of stale) console.log(`wrote ${f}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
