/**
 * The CLI edge: exit codes (0 clean, 1 findings, 2 usage/config/environment), --max-warnings, --quiet,
 * --output, colours, usage errors with did-you-mean, and internal errors without a stack trace.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { handleError } from '../../src/cli/main.js';
import { VERSION } from '../../src/version.js';
import { envFiles, mig, tree } from '../discover/tree.js';
import { run } from './run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ANSI = /\x1b\[[0-9;]*m/;

const REV = 'a1b2c3d4e5f6';
const FILE = `backend/alembic/versions/${REV}_x.py`;

/** A project with one migration: clean, with one warning (vague message), or with an error as well (raw SQL). */
function project(kind: 'clean' | 'warning' | 'error', extra: Record<string, string> = {}): string {
  let body = mig(REV, null, kind === 'clean' ? 'add hero table' : 'update');
  if (kind === 'error') body = body.replace(/    op\.create_table\(.*\n/, `    op.execute("DELETE FROM hero")\n`);
  return tree({ '.git/': '', ...envFiles('backend/alembic', { [`${REV}_x.py`]: body }), ...extra });
}

describe('exit codes', () => {
  it('0 when clean', async () => {
    const r = await run([], project('clean'));
    expect(r).toEqual({ code: 0, stdout: '✔ 1 migration checked, no problems\n', stderr: '' });
  });

  it('0 for an environment with no revisions yet (right after `alembic init`), so a hook never blocks a new project', async () => {
    const r = await run([], tree({ '.git/': '', ...envFiles('backend/alembic', {}) }));
    expect(r).toEqual({ code: 0, stdout: '✔ 0 migrations checked, no problems\n', stderr: '' });
  });

  it('0 with warnings only', async () => {
    const r = await run([], project('warning'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${FILE}:1:4  warning  Revision message "update" says nothing about what changes  vague-message`);
  });

  it('1 with errors', async () => {
    const r = await run(['--format', 'json'], project('error'));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary).toEqual({ files: 1, errors: 2, warnings: 1, suppressed: 0 });
  });

  it('--max-warnings: 1 when warnings exceed it, with a line on stderr', async () => {
    const root = project('warning');
    expect((await run(['--max-warnings', '1'], root)).code).toBe(0);
    const over = await run(['--max-warnings', '0'], root);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe('migration-lint: 1 warnings, more than --max-warnings 0\n');
  });

  it.each([['-1'], ['abc'], ['1.5']])('--max-warnings %s is a usage error', async (n) => {
    const r = await run([`--max-warnings=${n}`], project('clean'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: `migration-lint: --max-warnings takes a whole number, not '${n}'\n` });
  });

  it('--quiet reports errors only', async () => {
    const warn = await run(['--quiet', '--format', 'json'], project('warning'));
    expect(warn.code).toBe(0);
    expect(JSON.parse(warn.stdout).diagnostics).toEqual([]);
    const err = await run(['--quiet', '--format', 'json'], project('error'));
    expect(err.code).toBe(1);
    expect(JSON.parse(err.stdout).diagnostics.map((d: { rule: string }) => d.rule)).toEqual(['destructive-operation', 'raw-sql']);
  });

  it('--output FILE writes the report there (no colour), prints nothing, keeps the exit code', async () => {
    const root = project('error');
    const r = await run(['--format', 'sarif', '--output', 'reports/ml.sarif'], root, { FORCE_COLOR: '1' });
    expect(r).toEqual({ code: 1, stdout: '', stderr: '' });
    const doc = JSON.parse(fs.readFileSync(path.join(root, 'reports/ml.sarif'), 'utf8'));
    expect(doc.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['vague-message', 'destructive-operation', 'raw-sql']);
    await run(['--output', 'out.txt'], root, { FORCE_COLOR: '1' });
    const text = fs.readFileSync(path.join(root, 'out.txt'), 'utf8');
    expect(text).toContain(`${FILE}:22:5  error`);
    expect(text).not.toMatch(ANSI);
  });

  it('--output to a place that cannot be written: exit 2, one line', async () => {
    const root = project('clean', { 'reports/': '' });
    const r = await run(['--output', 'reports'], root);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'migration-lint: cannot write --output reports (it is a folder): give the path of a file you can write\n' });
  });

  it('JSON paths are relative to the working directory with / separators', async () => {
    const root = project('warning');
    const fromRoot = await run(['--format', 'json'], root);
    expect(JSON.parse(fromRoot.stdout).diagnostics[0].file).toBe(FILE);
    const fromVersions = await run(['--format', 'json'], path.join(root, 'backend/alembic/versions'));
    expect(JSON.parse(fromVersions.stdout).diagnostics[0].file).toBe(`${REV}_x.py`);
    const fromElsewhere = await run(['--format', 'json', path.join(root, FILE)], path.join(root, 'backend'));
    expect(JSON.parse(fromElsewhere.stdout).diagnostics[0].file).toBe(`alembic/versions/${REV}_x.py`);
  });
});

describe('colours', () => {
  it.each([
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, false],
    ['NO_COLOR=1 on a terminal', { NO_COLOR: '1' }, true, false],
    ['NO_COLOR over FORCE_COLOR', { NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
  ])('%s', async (_name, env, tty, coloured) => {
    const r = await run([], project('warning'), env, tty);
    expect(ANSI.test(r.stdout)).toBe(coloured);
  });

  it('--no-color wins over FORCE_COLOR', async () => {
    const r = await run(['--no-color'], project('warning'), { FORCE_COLOR: '1' }, true);
    expect(r.stdout).not.toMatch(ANSI);
    expect(r.stdout).toContain('warning');
  });
});

describe('usage errors', () => {
  it('an unknown flag: exit 2 with a did-you-mean', async () => {
    const r = await run(['--fromat', 'json'], project('clean'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: "migration-lint: unknown option '--fromat' (did you mean --format?)\n" });
  });

  it('an unknown format: exit 2 naming the choices', async () => {
    const r = await run(['--format', 'xml'], project('clean'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("migration-lint: option '-f, --format <format>' argument 'xml' is invalid. Allowed choices are stylish, json, sarif, github, junit, gitlab, rdjson.\n");
  });

  it('a flag missing its value: exit 2', async () => {
    const r = await run(['--output'], project('clean'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: "migration-lint: option '-o, --output <file>' argument missing; see --help\n" });
  });

  it('--staged with --all: exit 2', async () => {
    const r = await run(['--staged', '--all'], project('clean'));
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'migration-lint: --staged, --base and --all are alternatives: give one\n' });
  });

  it('--help and --version exit 0 on stdout', async () => {
    const help = await run(['--help'], project('clean'));
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: migration-lint \[options\] /);
    expect(help.stdout).toContain('--max-warnings <n>');
    expect(await run(['--version'], project('clean'))).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });
});

describe('internal errors', () => {
  const io = (env: Record<string, string>) => {
    let stderr = '';
    return { io: { cwd: '/', env, stdout: () => {}, stderr: (s: string) => void (stderr += s), isTTY: false }, err: () => stderr };
  };

  it('one line, no stack trace', () => {
    const { io: i, err } = io({});
    expect(handleError(new TypeError("Cannot read properties of undefined (reading 'x')"), i)).toBe(2);
    expect(err()).toBe("migration-lint: internal error: Cannot read properties of undefined (reading 'x') (set DEBUG=migration-lint for the stack trace, and please report it)\n");
  });

  it.each([['migration-lint'], ['express,migration-lint'], ['*']])('the stack trace with DEBUG=%s', (debug) => {
    const { io: i, err } = io({ DEBUG: debug });
    const e = new Error('boom');
    handleError(e, i);
    expect(err().startsWith(`${e.stack}\n`)).toBe(true);
  });

  it('end to end: a config that throws while read is an internal error, exit 2, no stack', async () => {
    const root = project('clean', { 'migration-lint.config.mjs': `export default { get rules() { throw new Error('getter exploded'); } };\n` });
    const r = await run([], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^migration-lint: internal error: getter exploded \(set DEBUG=migration-lint/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const debug = await run([], root, { DEBUG: 'migration-lint' });
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('the installed bin: exit codes and stderr through a real process', () => {
    const bin = path.join(ROOT, 'lib/cli.js');
    expect(fs.existsSync(bin)).toBe(true);
    const root = project('error', { 'broken/migration-lint.config.json': '{"rules": {"nope": "off"}}' });
    const lint = spawnSync(process.execPath, [bin, '--no-color'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain(`${FILE}:22:5  error    upgrade() runs custom SQL`);
    const config = spawnSync(process.execPath, [bin], { cwd: path.join(root, 'broken'), encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(config.status).toBe(2);
    expect(config.stderr).toBe(`migration-lint: migration-lint.config.json: unknown rule 'nope' in 'rules'\n`);
    const missing = spawnSync(process.execPath, [bin, 'nowhere'], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect([missing.status, missing.stderr]).toEqual([2, 'migration-lint: no such file or folder: nowhere\n']);
  });
});
