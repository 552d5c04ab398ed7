/**
 * The package as npm ships it: pack this checkout, install the tarball into an empty project, and run
 * `npx migration-lint` there, so a file missing from `files` or a dependency kept in devDependencies
 * fails here rather than for the first user.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_FIXTURE, BAD_MIGRATION, GOOD_FIXTURE, ROOT, copyDir, ok, pack, project, run, tempDir, type Packed, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
};

let packed: Packed;
let app: string;

beforeAll(async () => {
  const tmp = tempDir('pack');
  packed = await pack(tmp);
  app = path.join(tmp, 'app');
  await project(app, packed.tarball);
  copyDir(BAD_FIXTURE, path.join(app, 'backend'));
  copyDir(GOOD_FIXTURE, path.join(app, 'good'));
}, 150_000);

describe('the npm tarball', () => {
  it('holds the compiled CLI, its types, the hook and the docs, and no sources, tests, maps or fixtures', () => {
    const files = packed.files.map((f) => f.path);
    for (const must of ['package.json', 'lib/cli.js', 'lib/index.js', 'lib/index.d.ts', 'lib/cli/init.js', 'hooks/pre-commit']) {
      expect(files).toContain(must);
    }
    const outside = files.filter((f) => !/^(lib|hooks|docs)\//.test(f) && !/^(package\.json|README\.md|LICENSE(\.md)?)$/.test(f));
    expect(outside).toEqual([]);
    expect(files.filter((f) => /\.map$|^lib\/.*\.test\.|(^|\/)fixtures\//.test(f))).toEqual([]);
  });

  it('contains every file package.json points at', () => {
    const files = new Set(packed.files.map((f) => f.path));
    const targets = [...Object.values(pkg.bin), pkg.main, pkg.types];
    for (const v of Object.values(pkg.exports)) targets.push(...(typeof v === 'string' ? [v] : Object.values(v)));
    for (const t of targets) expect(files, t).toContain(path.posix.normalize(t));
  });

  it('ships the hook executable, and the bin with a node shebang', () => {
    const hook = packed.files.find((f) => f.path === 'hooks/pre-commit')!;
    expect(hook.mode & 0o111).not.toBe(0);
    const bin = fs.readFileSync(path.join(app, 'node_modules/migration-lint', pkg.bin['migration-lint']!), 'utf8');
    expect(bin.split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});

describe('installed into an empty project', { timeout: 55_000 }, () => {
  it('`npx migration-lint` finds the Alembic project and reports the missing import where it is used', async () => {
    const r = await run('npx', ['migration-lint'], { cwd: app });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`backend/${BAD_MIGRATION}:23:23`);
    expect(r.stdout).toMatch(/backend\/alembic\/versions\/816839da6518_add_hero_table\.py:23:23 +error +`sqlmodel` is used here but never imported/);
  });

  it('`npx migration-lint --format json` gives the exact span', async () => {
    const r = await run('npx', ['migration-lint', '--format', 'json', 'backend'], { cwd: app });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { diagnostics: { rule: string; file: string; line: number; column: number; endLine: number; endColumn: number; fixable: boolean }[] };
    const d = report.diagnostics.find((x) => x.rule === 'missing-sqlmodel-import');
    expect(d).toMatchObject({ file: `backend/${BAD_MIGRATION}`, line: 23, column: 23, endLine: 23, endColumn: 31, fixable: true });
  });

  it('passes a clean project', async () => {
    const r = await run('npx', ['migration-lint', '--quiet', 'good'], { cwd: app });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('ships the docs page of every rule it lists, and `--explain` reads it from the package', async () => {
    const list = JSON.parse((await ok('npx', ['migration-lint', '--list-rules', '--format', 'json'], { cwd: app })).stdout) as { id: string }[];
    expect(list.length).toBeGreaterThan(0);
    const files = new Set(packed.files.map((f) => f.path));
    expect(list.map((r) => r.id).filter((id) => !files.has(`docs/rules/${id}.md`))).toEqual([]);
    const page = fs.readFileSync(path.join(app, 'node_modules/migration-lint/docs/rules/missing-sqlmodel-import.md'), 'utf8');
    const r = await ok('npx', ['migration-lint', '--explain', 'missing-sqlmodel-import'], { cwd: app });
    expect(r.stdout).toBe(`${page.replace(/\s+$/, '')}\n`);
  });

  it('reports its version from the shipped package.json', async () => {
    const r = await ok('npx', ['migration-lint', '--version'], { cwd: app });
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('exposes the library entry to ESM consumers', async () => {
    const r = await ok('node', ['--input-type=module', '-e', "const m = await import('migration-lint'); console.log(typeof m.lint, Array.isArray(m.rules), m.VERSION)"], { cwd: app });
    expect(r.stdout.trim()).toBe(`function true ${pkg.version}`);
  });

  it('`init` outside a git repository is one line and exit 2', async () => {
    const r = await run('npx', ['migration-lint', 'init'], { cwd: app });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`migration-lint: not a git repository (no .git in ${fs.realpathSync(app)} or above): run \`git init\` first\n`);
  });
});
