/** `migration-lint init`, in process: what it writes, what it leaves alone, and what it says. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PRE_COMMIT_SNIPPET } from '../../src/cli/init.js';
import { main } from '../../src/cli/main.js';
import { VERSION } from '../../src/version.js';
import { ROOT, tempDir, testEnv, removeTempDirs } from '../package/helpers.js';

afterAll(removeTempDirs);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function init(cwd: string, ...args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await main(['init', ...args], {
    cwd,
    env: {},
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTTY: false,
  });
  return { code, stdout, stderr };
}

function repo(files: Record<string, string> = {}, opts: { git?: boolean } = {}): string {
  const dir = fs.realpathSync(tempDir('init'));
  if (opts.git !== false) execFileSync('git', ['init', '-q'], { cwd: dir, env: testEnv() });
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Every file below `dir` but .git, with its content: what "changes nothing" is checked against. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  visit(dir);
  return out;
}

const pkg = (extra: object = {}, indent: string | number = 2) =>
  `${JSON.stringify({ name: 'app', version: '1.0.0', private: true, ...extra }, null, indent)}\n`;
const withHusky = { devDependencies: { husky: '^9.1.7', 'migration-lint': `^${VERSION}` } };
const HOOK_LINE = 'sh node_modules/migration-lint/hooks/pre-commit';

/** The real husky 9 this repository depends on, installed where npm would put it in the project. */
function installHusky(dir: string): void {
  fs.cpSync(path.join(ROOT, 'node_modules/husky'), path.join(dir, 'node_modules/husky'), { recursive: true });
}

function gitConfig(dir: string, ...args: string[]): string {
  try {
    return execFileSync('git', ['config', ...args], { cwd: dir, env: testEnv(), encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}


describe('migration-lint init with husky v9', () => {
  it('creates .husky/pre-commit and the prepare script, keeping the file’s indentation and key order', async () => {
    const dir = repo({ 'package.json': pkg({ scripts: { build: 'tsc' }, ...withHusky }, '\t') });
    installHusky(dir);
    const r = await init(dir);
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'migration-lint init: the pre-commit hook is set up (husky).',
        '  created .husky/pre-commit with:',
        `    ${HOOK_LINE}`,
        '  set "prepare": "husky" in package.json',
        '  ran husky: git runs the hooks in .husky/ from the next commit on (core.hooksPath .husky/_)',
        'Commit .husky/pre-commit and package.json so your team gets the hook too.',
        '',
      ].join('\n'),
    });
    // What `husky` itself leaves: git pointed at its generated stubs, which run .husky/pre-commit.
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('.husky/_');
    expect(fs.statSync(path.join(dir, '.husky/_/pre-commit')).mode & 0o111).not.toBe(0);
    expect(fs.existsSync(path.join(dir, '.husky/_/h'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, '.husky/pre-commit'), 'utf8')).toBe(`${HOOK_LINE}\n`);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(pkg({ scripts: { build: 'tsc', prepare: 'husky' }, ...withHusky }, '\t'));
  });

  it('keeps CRLF line endings in package.json', async () => {
    const dir = repo({ 'package.json': pkg(withHusky).replace(/\n/g, '\r\n') });
    expect((await init(dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(pkg({ ...withHusky, scripts: { prepare: 'husky' } }).replace(/\n/g, '\r\n'));
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    const dir = repo({ 'package.json': pkg(withHusky) });
    installHusky(dir);
    expect((await init(dir)).code).toBe(0);
    const after = tree(dir);
    const again = await init(dir);
    expect(again).toEqual({ code: 0, stderr: '', stdout: 'migration-lint is already set up: .husky/pre-commit runs it and "prepare" runs husky. Nothing changed.\n' });
    expect(tree(dir)).toEqual(after);
  });

  it('--dry-run prints each change and makes none', async () => {
    const files = { 'package.json': pkg({ scripts: { prepare: 'npm run build' }, ...withHusky }), '.husky/pre-commit': 'npx lint-staged' };
    const dir = repo(files);
    installHusky(dir);
    const before = tree(dir);
    const r = await init(dir, '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 6)).toEqual([
      'migration-lint init --dry-run: nothing was changed. It would:',
      '  add to the end of .husky/pre-commit:',
      `    ${HOOK_LINE}`,
      '  change "prepare" in package.json from "npm run build" to "husky && npm run build"',
      '  run husky, so that git runs the hooks in .husky/ (core.hooksPath .husky/_)',
      '',
    ]);
    expect(tree(dir)).toEqual(before);
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('');
  });

  it('appends to an existing hook without clobbering it, and merges an existing prepare script', async () => {
    const dir = repo({ 'package.json': pkg({ scripts: { prepare: 'npm run build' }, ...withHusky }), '.husky/pre-commit': 'npx lint-staged' });
    expect((await init(dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.husky/pre-commit'), 'utf8')).toBe(`npx lint-staged\n${HOOK_LINE}\n`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts).toEqual({ prepare: 'husky && npm run build' });
  });

  it('leaves a hook that already runs migration-lint and a prepare that already runs husky alone', async () => {
    const files = { 'package.json': pkg({ scripts: { prepare: 'husky || true' }, ...withHusky }), '.husky/pre-commit': 'npx --no-install migration-lint --staged\n', '.husky/_/h': '' };
    const dir = repo(files);
    execFileSync('git', ['config', 'core.hooksPath', '.husky/_'], { cwd: dir, env: testEnv() });
    const r = await init(dir);
    expect(r.stdout).toBe('migration-lint is already set up: .husky/pre-commit runs it and "prepare" runs husky. Nothing changed.\n');
    expect(tree(dir)).toEqual(files);
  });

  it('warns when husky init’s `npm test` line will fail every commit, without touching that line', async () => {
    const dir = repo({ 'package.json': pkg({ scripts: { test: 'echo "Error: no test specified" && exit 1', prepare: 'husky' }, ...withHusky }), '.husky/pre-commit': 'npm test\n' });
    const r = await init(dir);
    expect(r.stdout).toContain('Note: .husky/pre-commit also runs the test script, which this package.json does not have: every commit will fail on it until you add one or remove that line.\n');
    expect(fs.readFileSync(path.join(dir, '.husky/pre-commit'), 'utf8')).toBe(`npm test\n${HOOK_LINE}\n`);
  });

  it('sets up a package below the git root the way husky documents it, with the hook path from the git root', async () => {
    const dir = repo({ 'frontend/package.json': pkg(withHusky) });
    installHusky(path.join(dir, 'frontend'));
    const r = await init(path.join(dir, 'frontend'));
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'frontend/.husky/pre-commit'), 'utf8')).toBe('sh frontend/node_modules/migration-lint/hooks/pre-commit\n');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'frontend/package.json'), 'utf8')).scripts).toEqual({ prepare: 'cd .. && husky frontend/.husky' });
    expect(r.stdout).toContain('  ran husky: git runs the hooks in .husky/ from the next commit on (core.hooksPath frontend/.husky/_)');
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('frontend/.husky/_');
    expect(fs.existsSync(path.join(dir, 'frontend/.husky/_/h'))).toBe(true);
    // A second run reads that prepare script back and finds the same folder.
    expect((await init(path.join(dir, 'frontend'))).stdout).toMatch(/^migration-lint is already set up/);
  });

  it('leaves another tool’s core.hooksPath alone and says how to combine them', async () => {
    const files = { 'package.json': pkg(withHusky), '.githooks/pre-commit': '#!/bin/sh\nmake lint\n' };
    const dir = repo(files);
    installHusky(dir);
    execFileSync('git', ['config', 'core.hooksPath', '.githooks'], { cwd: dir, env: testEnv() });
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `Note: git runs hooks from .githooks (core.hooksPath), not from husky's .husky/_, and init leaves another tool's setting alone, so the hook does not run yet. Either add \`${HOOK_LINE}\` to .githooks/pre-commit, or move those hooks to .husky/ and run \`git config core.hooksPath .husky/_\`.\n`,
    );
    expect(r.stdout).not.toContain('ran husky');
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('.githooks');
    expect(fs.existsSync(path.join(dir, '.husky/_'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, '.githooks/pre-commit'), 'utf8')).toBe(files['.githooks/pre-commit']);
  });

  it('moves husky 8’s core.hooksPath (.husky) to husky 9’s .husky/_, and says so', async () => {
    const dir = repo({ 'package.json': pkg(withHusky) });
    installHusky(dir);
    execFileSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: dir, env: testEnv() });
    const r = await init(dir);
    expect(r.stdout).toContain('  ran husky: git runs the hooks in .husky/ from the next commit on (core.hooksPath .husky/_, was .husky)\n');
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('.husky/_');
  });

  it('says when husky refuses to run (HUSKY=0) and what to run instead', async () => {
    const dir = repo({ 'package.json': pkg(withHusky) });
    installHusky(dir);
    let stdout = '';
    const code = await main(['init'], { cwd: dir, env: { HUSKY: '0' }, stdout: (s) => void (stdout += s), stderr: () => {}, isTTY: false });
    expect(code).toBe(0);
    expect(stdout).toContain('migration-lint init: the pre-commit hook is set up (husky), but git does not run it yet.\n');
    expect(stdout).toContain('husky could not set git up (HUSKY=0 skip install): run `npx husky` once so git uses .husky/.\n');
    expect(gitConfig(dir, '--get', 'core.hooksPath')).toBe('');
  });

  it('without husky in node_modules, writes the hook and says that npm install finishes the job', async () => {
    const dir = repo({ 'package.json': pkg(withHusky) });
    const r = await init(dir);
    expect(r.stdout).toContain('husky is not installed yet: run `npm install` (its prepare script makes git use .husky/), or `npx husky` once it is.\n');
    expect(fs.readFileSync(path.join(dir, '.husky/pre-commit'), 'utf8')).toBe(`${HOOK_LINE}\n`);
  });

  it('points the hook at the installed package where npm put it (hoisted to the git root)', async () => {
    const dir = repo({ 'package.json': pkg(), 'node_modules/migration-lint/package.json': '{}', 'web/package.json': pkg({ devDependencies: { husky: '9' } }) });
    const r = await init(path.join(dir, 'web'));
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'web/.husky/pre-commit'), 'utf8')).toBe('sh node_modules/migration-lint/hooks/pre-commit\n');
  });

  it('works from a subfolder of the package', async () => {
    const dir = repo({ 'package.json': pkg(withHusky), 'src/index.js': '' });
    const r = await init(path.join(dir, 'src'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created ../.husky/pre-commit with:');
    expect(fs.existsSync(path.join(dir, '.husky/pre-commit'))).toBe(true);
  });
});

describe('migration-lint init without husky v9', () => {
  it('changes nothing and gives the husky command, a plain git hook and the pre-commit framework snippet', async () => {
    const files = { 'package.json': pkg() };
    const dir = repo(files);
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('husky is not a dependency of this project, so nothing was changed. To lint migrations before every commit, pick one:');
    expect(lines).toContain('    npm i -D husky');
    expect(lines).toContain("    printf '#!/bin/sh\\nexec npx --no-install migration-lint --staged\\n' > .git/hooks/pre-commit");
    expect(lines).toContain('    chmod +x .git/hooks/pre-commit');
    expect(r.stdout).toContain(
      [
        '    repos:',
        '      - repo: local',
        '        hooks:',
        '          - id: migration-lint',
        '            name: migration-lint',
        '            entry: migration-lint --staged',
        '            language: node',
        `            additional_dependencies: ["migration-lint@${VERSION}"]`,
        '            pass_filenames: false',
        '            files: (^|/)(versions/.*\\.py|script\\.py\\.mako)$',
        '            require_serial: true',
        '    then: pre-commit install',
      ].join('\n'),
    );
    expect(tree(dir)).toEqual(files);
  });

  it('offers to copy the shipped hook when migration-lint is installed', async () => {
    const dir = repo({ 'package.json': pkg({ devDependencies: { 'migration-lint': VERSION } }), 'node_modules/migration-lint/hooks/pre-commit': '#!/bin/sh\n' });
    const r = await init(dir);
    expect(r.stdout.split('\n')).toContain('    cp node_modules/migration-lint/hooks/pre-commit .git/hooks/pre-commit');
  });

  it('says husky 8 needs upgrading rather than writing a hook husky 8 would not run', async () => {
    const files = { 'package.json': pkg({ devDependencies: { husky: '^8.0.3', 'migration-lint': VERSION } }) };
    const dir = repo(files);
    const r = await init(dir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'husky 8 is a dependency of this project; init sets up husky 9 only, so nothing was changed. Pick one:',
      '',
      '  upgrade husky, then run init again:',
      '    npm i -D husky@9',
    ]);
    expect(tree(dir)).toEqual(files);
  });
});

describe('migration-lint init errors: one line, exit 2', () => {
  it('outside a git repository', async () => {
    const dir = repo({ 'package.json': pkg(withHusky) }, { git: false });
    expect(await init(dir)).toEqual({ code: 2, stdout: '', stderr: `migration-lint: not a git repository (no .git in ${dir} or above): run \`git init\` first\n` });
  });

  it('without a package.json', async () => {
    const dir = repo();
    expect(await init(dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: `migration-lint: no package.json in ${dir} or above it in this repository: run \`npm init -y\` first, or see the README for the pre-commit framework\n`,
    });
  });

  it('with a package.json that is not JSON', async () => {
    const dir = repo({ 'package.json': '{ "name": "app",\n' });
    const r = await init(dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^migration-lint: package\.json is not valid JSON \([^\n]+\)\n$/);
  });

  it('with husky but without migration-lint in the project', async () => {
    const files = { 'package.json': pkg({ devDependencies: { husky: '^9.1.7' } }) };
    const dir = repo(files);
    expect(await init(dir)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'migration-lint: migration-lint is not a dependency of this project: run `npm i -D migration-lint` first, so the hook runs the version your team pins\n',
    });
    expect(tree(dir)).toEqual(files);
  });
});

describe('the README', () => {
  it('shows the pre-commit framework snippet that init prints, for this version', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Pre-commit hooks\n'), readme.indexOf('\n## ', readme.indexOf('\n## Pre-commit hooks\n') + 1));
    expect(section).toContain(`# .pre-commit-config.yaml\n${PRE_COMMIT_SNIPPET.replace('VERSION', VERSION)}\n\`\`\``);
  });
});
