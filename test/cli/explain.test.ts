/**
 * `--list-rules` and `--explain <id>`: the catalogue and each rule's docs, for every rule in the registry
 * (a rule without a docs page or help text fails here), from the sources and from the built package.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docsPagePath } from '../../src/cli/explain.js';
import { rules } from '../../src/rules/index.js';
import { DOCS_BASE } from '../../src/version.js';
import { tree } from '../discover/tree.js';
import { run } from './run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ANSI = /\x1b\[[0-9;]*m/g;
const ids = rules.map((r) => r.meta.id);
const docs = (id: string) => fs.readFileSync(path.join(ROOT, 'docs/rules', `${id}.md`), 'utf8');
const anywhere = () => tree({ 'README.md': 'not a project\n' });

describe('--list-rules', () => {
  it('prints one aligned line per rule: id, default severity, fixable, description', async () => {
    const r = await run(['--list-rules'], anywhere());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(ANSI);
    const lines = r.stdout.split('\n');
    const width = Math.max(...ids.map((id) => id.length));
    expect(lines.slice(0, rules.length)).toEqual(
      rules.map((rule) => {
        const m = rule.meta;
        return `${m.id.padEnd(width)}  ${m.defaultSeverity.padEnd(7)}  ${m.fixable ? 'fixable' : '       '}  ${m.description}`;
      }),
    );
    expect(lines.slice(rules.length)).toEqual(['', "`migration-lint --explain <id>` prints a rule's documentation.", '']);
    // Concrete lines, so a broken padEnd above cannot pass by agreeing with itself; the id column is as wide
    // as the longest id, which grows as rules are added.
    expect(r.stdout).toMatch(/^undefined-name {2,}error {4}fixable {2}A name the migration uses/m);
    expect(r.stdout).toMatch(/^multiple-bases {2,}warning {11}More than one revision has no `down_revision`/m);
  });

  it('prints a JSON array with --format json', async () => {
    const r = await run(['--list-rules', '--format', 'json'], anywhere());
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(list).toEqual(
      rules.map((rule) => ({
        id: rule.meta.id,
        defaultSeverity: rule.meta.defaultSeverity,
        fixable: rule.meta.fixable,
        description: rule.meta.description,
        help: rule.meta.help,
        docs: `${DOCS_BASE}/${rule.meta.id}.md`,
      })),
    );
    expect(list.find((e) => e.id === 'revision-cycle')).toMatchObject({ defaultSeverity: 'error', fixable: false });
  });

  it('colours severities on a terminal, and refuses report formats it cannot print', async () => {
    const tty = await run(['--list-rules'], anywhere(), {}, true);
    expect(tty.stdout).toContain('\x1b[31merror  \x1b[39m');
    const sarif = await run(['--list-rules', '--format', 'sarif'], anywhere());
    expect(sarif).toEqual({ code: 2, stdout: '', stderr: 'migration-lint: --list-rules prints stylish (the default) or json, not sarif\n' });
  });
});

describe('--explain', () => {
  it.each(ids)('%s: prints docs/rules/<id>.md', async (id) => {
    const r = await run(['--explain', id], anywhere());
    expect(r).toEqual({ code: 0, stdout: `${docs(id).trimEnd()}\n`, stderr: '' });
  });

  it('makes headings bold on a terminal', async () => {
    const r = await run(['--explain', 'undefined-name'], anywhere(), { FORCE_COLOR: '1' });
    expect(r.stdout.split('\n')[0]).toBe('\x1b[1m# undefined-name\x1b[22m');
    expect(r.stdout.replace(ANSI, '')).toBe(`${docs('undefined-name').trimEnd()}\n`);
  });

  it('rejects an unknown id with exit 2 and a suggestion', async () => {
    expect(await run(['--explain', 'undefined-nam'], anywhere())).toEqual({
      code: 2,
      stdout: '',
      stderr: "migration-lint: unknown rule 'undefined-nam' (did you mean 'undefined-name'?); `migration-lint --list-rules` lists them all\n",
    });
    const far = await run(['--explain', 'zzz'], anywhere());
    expect(far.code).toBe(2);
    expect(far.stderr).toBe("migration-lint: unknown rule 'zzz'; `migration-lint --list-rules` lists them all\n");
  });
});

describe('docs and help parity', () => {
  it.each(ids)('%s: has a docs page beside the code and a one-line description and help', (id) => {
    const { meta } = rules.find((r) => r.meta.id === id)!;
    expect(fs.existsSync(docsPagePath(id)), docsPagePath(id)).toBe(true);
    expect(docsPagePath(id)).toBe(path.join(ROOT, 'docs/rules', `${id}.md`));
    expect(meta.help.trim(), 'help').not.toBe('');
    expect(meta.help).not.toMatch(/\n/);
    expect(meta.description.trim(), 'description').not.toBe('');
    expect(meta.description).not.toMatch(/\n/);
  });

  it('ships docs/ in the npm package, next to lib/', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('docs/');
    expect(pkg.files).toContain('lib/');
  });

  it('finds the docs from the built CLI in lib/ (run `npm run build` first)', () => {
    const cli = path.join(ROOT, 'lib/cli.js');
    expect(fs.existsSync(cli), 'lib/cli.js: run `npm run build`').toBe(true);
    const r = spawnSync(process.execPath, [cli, '--explain', 'revision-cycle'], { cwd: anywhere(), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${docs('revision-cycle').trimEnd()}\n`);
  });
});
