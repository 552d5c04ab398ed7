/**
 * One rule, one id, everywhere: the registry, the rule's file, its docs page, its fixtures, its test and
 * the README's table must all agree (as ESLint's checkRuleFiles and typescript-eslint's docs test do).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rules } from '../src/rules/index.js';
import type { Rule } from '../src/rules/types.js';
import { readmeTable, registrySource, ruleFileIds, withReadmeTable } from '../scripts/gen-rules.js';
import { tree } from './discover/tree.js';
import { exampleProject } from './rules/docs-examples.js';
import { lintDir } from './rules/helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ids = rules.map((r) => r.meta.id);
/**
 * Alembic never writes suppression comments, so invalid-suppression's cases live inline in its test; an
 * edit of an applied revision is a fact of git history, which a static folder cannot hold, so
 * applied-migration-edited's cases are real temp repositories built in test/git/; database-revision-missing
 * judges what a database records, so its cases are real PostgreSQL databases built in test/db/ (and the
 * oracle proves Alembic's failure on one); internal-error is the linter's own bug, which no real file holds
 * once fixed, so its test injects the failures.
 */
const NO_FIXTURES = new Set(['invalid-suppression', 'applied-migration-edited', 'database-revision-missing', 'internal-error']);
/** src/rules/ files that are not rules. */
const NOT_RULES = new Set(['change-rule.ts', 'index.ts', 'types.ts', 'util.ts']);
const SECTIONS = ['## What it catches', '## Why it matters', '## Bad', '## Good', '## How to fix', '## How to approve'];

const exists = (rel: string) => fs.existsSync(path.join(ROOT, rel));
const subdirs = (rel: string) =>
  exists(rel) ? fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];

describe('the rule registry', () => {
  it('has unique kebab-case ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id, id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('holds every rule file of src/rules, and each rule is the default export of the file named by its id', async () => {
    const files = fs.readdirSync(path.join(ROOT, 'src/rules')).filter((f) => f.endsWith('.ts') && !NOT_RULES.has(f));
    expect(files.map((f) => f.replace(/\.ts$/, '')).sort()).toEqual([...ids].sort());
    for (const rule of rules) {
      const mod = (await import(pathToFileURL(path.join(ROOT, 'src/rules', `${rule.meta.id}.ts`)).href)) as { default: Rule };
      expect(mod.default, `src/rules/${rule.meta.id}.ts`).toBe(rule);
    }
  });

  it.each(ids)('%s: has a description, help and a default severity', (id) => {
    const { meta } = rules.find((r) => r.meta.id === id)!;
    expect(meta.description.trim().length, 'description').toBeGreaterThan(10);
    expect(meta.help.trim().length, 'help').toBeGreaterThan(10);
    expect(['error', 'warning']).toContain(meta.defaultSeverity);
    expect(typeof meta.fixable).toBe('boolean');
  });

  it.each(ids)('%s: has docs/rules/<id>.md in the common template', (id) => {
    const file = `docs/rules/${id}.md`;
    expect(exists(file), file).toBe(true);
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const { meta } = rules.find((r) => r.meta.id === id)!;
    expect(text.split('\n')[0]).toBe(`# ${id}`);
    expect(text).toContain(`Default severity: **${meta.defaultSeverity}** · Autofix: ${meta.fixable ? 'yes' : 'no'}`);
    const at = SECTIONS.map((h) => text.split('\n').indexOf(h));
    expect(at.every((i) => i > 0), `${file} needs ${SECTIONS.join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it.each(ids)('%s: has fixtures/rules/<id>/ with a bad* and a good* case', (id) => {
    if (NO_FIXTURES.has(id)) {
      expect(exists(`fixtures/rules/${id}`), 'an exception that gained fixtures should lose its exception').toBe(false);
      return;
    }
    const cases = subdirs(`fixtures/rules/${id}`);
    expect(cases.some((c) => c.startsWith('bad')), `fixtures/rules/${id}/bad*`).toBe(true);
    expect(cases.some((c) => c.startsWith('good')), `fixtures/rules/${id}/good*`).toBe(true);
  });

  it.each(ids)('%s: has test/rules/<id>.test.ts', (id) => {
    expect(exists(`test/rules/${id}.test.ts`), `test/rules/${id}.test.ts`).toBe(true);
  });

  it('keeps message templates that its rules use, and uses none it lacks', () => {
    const wrong: string[] = [];
    for (const r of rules as Rule[]) {
      const source = fs.readFileSync(path.join(ROOT, 'src/rules', `${r.meta.id}.ts`), 'utf8');
      const messages = r.meta.messages;
      // Every report names a template (Report.messageId is required), so a rule without templates reports nothing.
      if (Object.keys(messages).length === 0) wrong.push(`${r.meta.id}: declares no messages`);
      if (/\bmessage: [`'"]/.test(source)) wrong.push(`${r.meta.id}: writes a message inline`);
      // Templates keyed by a type (`Record<ChangeOf<…>['command'], string>`), reported by a value of that type:
      // the type checker holds each id to a value the rule can report.
      const keyedByFacts = /: Record<(?!string\b).+, string> = \{/.test(source);
      for (const [id, template] of Object.entries(messages)) {
        if (!keyedByFacts && !source.includes(`'${id}'`)) wrong.push(`${r.meta.id}: message '${id}' is never reported`);
        if (!template.trim() || /\{(?!\w+\})|(?<!\{\w+)\}/.test(template)) wrong.push(`${r.meta.id}: message '${id}' has a stray brace`);
      }
      for (const m of source.matchAll(/messageId: '(\w+)'/g)) if (!Object.hasOwn(messages, m[1]!)) wrong.push(`${r.meta.id}: reports '${m[1]}', which meta.messages lacks`);
    }
    expect(wrong).toEqual([]);
  });

  it('has no fixtures, docs or rule tests for ids it does not hold', () => {
    const known = new Set(ids);
    const stray = [
      ...subdirs('fixtures/rules').map((d) => `fixtures/rules/${d}`),
      ...fs.readdirSync(path.join(ROOT, 'docs/rules')).filter((f) => f.endsWith('.md')).map((f) => `docs/rules/${f}`),
      ...fs.readdirSync(path.join(ROOT, 'test/rules')).filter((f) => f.endsWith('.test.ts')).map((f) => `test/rules/${f}`),
    ].filter((p) => !known.has(path.basename(p).replace(/\.(md|test\.ts)$/, '')));
    expect(stray).toEqual([]);
  });
});

/**
 * Rules whose docs examples cannot be linted as files alone: what they show is a fact of git history
 * (applied-migration-edited), of a live database (database-revision-missing), or a failure of the linter
 * itself (internal-error).
 */
// The model rules' examples are a whole project (models, env.py, migrations): their fixtures prove them instead.
const EXAMPLES_NEED_HISTORY = new Set(['applied-migration-edited', 'database-revision-missing', 'internal-error', 'model-drift', 'model-not-imported', 'target-metadata-missing']);

describe('the docs examples, linted', () => {
  for (const id of ids.filter((i) => !EXAMPLES_NEED_HISTORY.has(i))) {
    it(`${id}: Bad fires the rule, Good does not`, () => {
      for (const heading of ['Bad', 'Good'] as const) {
        const project = exampleProject(id, heading);
        expect(project, `docs/rules/${id}.md: no example under ## ${heading}`).not.toBeNull();
        const fired = lintDir(tree(project!.files)).diagnostics.filter((d) => d.rule === id);
        if (heading === 'Bad') expect(fired.length, `docs/rules/${id}.md: the Bad example does not fire ${id}`).toBeGreaterThan(0);
        else expect(fired.map((d) => `${d.file}:${d.line}: ${d.message}`), `docs/rules/${id}.md: the Good example fires ${id}`).toEqual([]);
      }
    });
  }
});

describe('what npm run rules writes (scripts/gen-rules.ts)', () => {
  it('src/rules/index.ts registers exactly the rule files, and is current', () => {
    expect(fs.readFileSync(path.join(ROOT, 'src/rules/index.ts'), 'utf8'), 'src/rules/index.ts is stale: run `npm run rules`').toBe(registrySource(ruleFileIds()));
  });

  it("README.md's rules table is the rules' metadata, and is current", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme, 'the README rules table is stale: run `npm run rules`').toBe(withReadmeTable(readme, readmeTable(rules)));
  });
});

describe("README.md's rules table", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const rows = readme
    .split(/\r?\n/)
    .map((line) => /^\| \[`([^`]+)`\]\(docs\/rules\/([^)]+)\.md\) \| (\w+) \| (\w+) \| (.+) \|$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);

  it('sits under a `## Rules` heading', () => {
    const lines = readme.split(/\r?\n/);
    const heading = lines.indexOf('## Rules');
    expect(heading).toBeGreaterThan(0);
    const firstRow = lines.findIndex((l) => l.startsWith('| [`'));
    expect(firstRow).toBeGreaterThan(heading);
  });

  it('lists every rule once, and only rules that exist, linking its own docs page', () => {
    expect(rows.map((m) => m[1]).sort()).toEqual([...ids].sort());
    for (const m of rows) expect(m[2], `row of ${m[1]}`).toBe(m[1]);
  });

  it('gives each rule its default severity and fixability', () => {
    for (const m of rows) {
      const rule = rules.find((r) => r.meta.id === m[1]);
      if (!rule) continue;
      expect([m[3], m[4]], m[1]).toEqual([rule.meta.defaultSeverity, rule.meta.fixable ? 'yes' : 'no']);
      expect(m[5]!.trim().length, m[1]).toBeGreaterThan(10);
    }
  });
});
