/**
 * `migration-lint init`: puts the pre-commit hook where the project's hook manager runs it. With husky v9
 * it edits `.husky/pre-commit` and the `prepare` script, appending and merging only, then runs the installed
 * husky once (as `husky init` and every `npm install` do) so that git runs the hook from the very next
 * commit; a second run changes nothing. Without husky it changes nothing and says what to run instead. It
 * installs no packages: what a project depends on is its developers' decision.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { environmentError, usageError } from '../errors.js';
import { tryGit } from '../git/exec.js';
import { readText, statKind } from '../io/files.js';
import type { CliIO } from './io.js';

export interface InitFlags {
  dryRun?: boolean;
}

/** What the pre-commit framework needs when the repository has no hook manager of its own. */
export const PRE_COMMIT_SNIPPET = `repos:
  - repo: local
    hooks:
      - id: migration-lint
        name: migration-lint
        entry: migration-lint --staged
        language: node
        additional_dependencies: ["migration-lint@VERSION"]
        pass_filenames: false
        files: (^|/)(versions/.*\\.py|script\\.py\\.mako)$
        require_serial: true`;

const HOOK_PATH_IN_PACKAGE = 'hooks/pre-commit';

interface PackageJson {
  scripts?: Record<string, unknown>;
  dependencies?: Record<string, unknown>;
  devDependencies?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Change {
  file: string;
  describe: string;
  apply(): void;
}

export function registerInit(program: Command, io: CliIO, version: string, done: (code: number) => void): void {
  program
    .command('init')
    .description('set up the pre-commit hook (husky v9), or say how to with a plain git hook or the pre-commit framework')
    .option('--dry-run', 'print what would change, and change nothing')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (flags: InitFlags) => {
      done(await runInit(flags, io, version));
    });
}

export async function runInit(flags: InitFlags, io: CliIO, version: string): Promise<number> {
  const gitRoot = findUp(io.cwd, (dir) => statKind(path.join(dir, '.git')) !== null, null);
  if (!gitRoot) throw environmentError(`not a git repository (no .git in ${io.cwd} or above): run \`git init\` first`);
  const pkgDir = findUp(io.cwd, (dir) => statKind(path.join(dir, 'package.json')) === 'file', gitRoot);
  if (!pkgDir) throw environmentError(`no package.json in ${io.cwd} or above it in this repository: run \`npm init -y\` first, or see the README for the pre-commit framework`);
  const pkgFile = path.join(pkgDir, 'package.json');
  const pkgText = readText(pkgFile) ?? '';
  let pkg: PackageJson;
  try {
    const parsed: unknown = JSON.parse(pkgText);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    pkg = parsed as PackageJson;
  } catch (err) {
    throw environmentError(`${rel(io.cwd, pkgFile)} is not valid JSON (${(err as Error).message})`);
  }

  const out = (s = '') => io.stdout(`${s}\n`);
  const husky = huskyMajor(pkg, pkgDir, gitRoot);
  if (husky === null || husky < 9) {
    const installedHook = findUp(pkgDir, (dir) => statKind(path.join(dir, 'node_modules', 'migration-lint', HOOK_PATH_IN_PACKAGE)) === 'file', gitRoot);
    explainAlternatives(out, {
      husky,
      version,
      installedHook: installedHook ? rel(io.cwd, path.join(installedHook, 'node_modules', 'migration-lint', HOOK_PATH_IN_PACKAGE)) : null,
      gitHook: rel(io.cwd, path.join(gitRoot, '.git', 'hooks', 'pre-commit')),
    });
    return 0;
  }

  const installed = findUp(pkgDir, (dir) => statKind(path.join(dir, 'node_modules', 'migration-lint', 'package.json')) === 'file', gitRoot);
  const declared = dependsOn(pkg, 'migration-lint');
  if (!installed && !declared) {
    throw usageError('migration-lint is not a dependency of this project: run `npm i -D migration-lint` first, so the hook runs the version your team pins');
  }
  const hookScript = toPosix(path.relative(gitRoot, path.join(installed ?? pkgDir, 'node_modules', 'migration-lint', HOOK_PATH_IN_PACKAGE)));
  // Git runs hooks from the top of the work tree, so the path is relative to it, not to package.json.
  const hookLine = `sh ${hookScript}`;

  const prepare = typeof pkg.scripts?.prepare === 'string' ? pkg.scripts.prepare : undefined;
  const layout = huskyLayout(prepare, pkgDir, gitRoot);
  const hookFile = path.join(layout.hooksDir, 'pre-commit');
  const changes: Change[] = [];

  const hookText = readText(hookFile);
  if (hookText === null) {
    changes.push({
      file: hookFile,
      describe: `create ${rel(io.cwd, hookFile)} with:\n    ${hookLine}`,
      apply: () => {
        fs.mkdirSync(path.dirname(hookFile), { recursive: true });
        fs.writeFileSync(hookFile, `${hookLine}\n`);
      },
    });
  } else if (!/\bmigration-lint\b/.test(hookText)) {
    changes.push({
      file: hookFile,
      describe: `add to the end of ${rel(io.cwd, hookFile)}:\n    ${hookLine}`,
      apply: () => fs.writeFileSync(hookFile, `${hookText}${hookText === '' || hookText.endsWith('\n') ? '' : '\n'}${hookLine}\n`),
    });
  }

  if (!layout.prepareRunsHusky) {
    const merged = prepare && prepare.trim() ? `${layout.prepareCommand} && ${prepare}` : layout.prepareCommand;
    changes.push({
      file: pkgFile,
      describe: prepare
        ? `change "prepare" in ${rel(io.cwd, pkgFile)} from ${JSON.stringify(prepare)} to ${JSON.stringify(merged)}`
        : `set "prepare": ${JSON.stringify(merged)} in ${rel(io.cwd, pkgFile)}`,
      apply: () => {
        pkg.scripts = { ...(pkg.scripts ?? {}), prepare: merged };
        const eol = pkgText.includes('\r\n') ? '\r\n' : '\n';
        fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, detectIndent(pkgText)).replace(/\n/g, eol)}${eol}`);
      },
    });
  }

  const notes: string[] = [];
  if (hookText !== null && /^\s*(npm|pnpm|yarn|bun) (run )?test\s*$/m.test(hookText) && !hasRealTestScript(pkg)) {
    notes.push(`${rel(io.cwd, hookFile)} also runs the test script, which this package.json does not have: every commit will fail on it until you add one or remove that line.`);
  }
  const activation = huskyActivation(layout, pkgDir, gitRoot, io.cwd);

  if (changes.length === 0 && activation.kind !== 'run') {
    out(`migration-lint is already set up: ${rel(io.cwd, hookFile)} runs it and "prepare" runs husky. Nothing changed.`);
  } else if (flags.dryRun) {
    out('migration-lint init --dry-run: nothing was changed. It would:');
    for (const c of changes) out(`  ${c.describe}`);
    if (activation.kind === 'run') out(`  run husky, so that git runs the hooks in ${rel(io.cwd, layout.hooksDir)}/ (core.hooksPath ${activation.hooksPath})`);
  } else {
    for (const c of changes) c.apply();
    const ran = activation.kind === 'run' ? runHusky(activation, io) : null;
    out(`migration-lint init: the pre-commit hook is set up (husky)${ran === null || ran.ok ? '' : ', but git does not run it yet'}.`);
    for (const c of changes) out(`  ${c.describe.replace(/^(create|add|change|set)\b/, (w) => past[w] ?? w)}`);
    if (ran?.ok) {
      out(`  ran husky: git runs the hooks in ${rel(io.cwd, layout.hooksDir)}/ from the next commit on (core.hooksPath ${activation.kind === 'run' ? activation.hooksPath : ''}${activation.kind === 'run' && activation.replaced !== null ? `, was ${activation.replaced}` : ''})`);
    }
    if (changes.length) out(`Commit ${[...new Set(changes.map((c) => rel(io.cwd, c.file)))].join(' and ')} so your team gets the hook too.`);
    if (ran && !ran.ok) out(`husky could not set git up (${ran.message}): run \`${layout.activate}\` once so git uses ${rel(io.cwd, layout.hooksDir)}/.`);
  }
  if (activation.kind === 'not-installed') {
    out(`husky is not installed yet: run \`npm install\` (its prepare script makes git use ${rel(io.cwd, layout.hooksDir)}/), or \`${layout.activate}\` once it is.`);
  } else if (activation.kind === 'foreign') {
    out(
      `Note: git runs hooks from ${activation.current} (core.hooksPath), not from husky's ${activation.hooksPath}, and init leaves another tool's setting alone, so the hook does not run yet. ` +
        `Either add \`${hookLine}\` to ${activation.current}/pre-commit, or move those hooks to ${rel(io.cwd, layout.hooksDir)}/ and run \`git config core.hooksPath ${activation.hooksPath}\`.`,
    );
  }
  for (const n of notes) out(`Note: ${n}`);
  return 0;
}

type Activation =
  /** git already runs husky's hooks. */
  | { kind: 'active' }
  /** husky is to be run in `cwd` with `args`, which points core.hooksPath at `hooksPath`; `replaced` is the old value, if any. */
  | { kind: 'run'; bin: string; cwd: string; args: string[]; hooksPath: string; replaced: string | null }
  /** husky is declared but not in node_modules: `npm install` runs it through prepare. */
  | { kind: 'not-installed' }
  /** core.hooksPath points at another tool's folder: changing it would silently switch its hooks off. */
  | { kind: 'foreign'; current: string; hooksPath: string };

/**
 * Whether git already runs the hooks in husky's folder, and if not how husky is to be run to make it so.
 * husky points `core.hooksPath` at `<dir>/_`, a folder of stubs it generates; an empty value, or husky 8's
 * `<dir>` itself, is husky's to set, while any other folder belongs to another tool and is left alone.
 */
function huskyActivation(layout: HuskyLayout, pkgDir: string, gitRoot: string, cwd: string): Activation {
  const hooksPath = toPosix(path.relative(layout.runIn, path.join(layout.hooksDir, '_')));
  const r = tryGit(gitRoot, ['config', '--get', 'core.hooksPath']);
  const current = r.status === 0 ? r.stdout.toString('utf8').trim() : '';
  const same = (a: string, b: string) => path.resolve(gitRoot, a) === path.resolve(b);
  const stubs = statKind(path.join(layout.hooksDir, '_', 'h')) === 'file';
  if (current && same(current, path.join(layout.hooksDir, '_')) && stubs) return { kind: 'active' };
  if (current && !same(current, path.join(layout.hooksDir, '_')) && !same(current, layout.hooksDir)) {
    return { kind: 'foreign', current: rel(cwd, path.resolve(gitRoot, current)), hooksPath };
  }
  const installed = findUp(pkgDir, (dir) => statKind(path.join(dir, 'node_modules', 'husky', 'bin.js')) === 'file', gitRoot);
  if (!installed) return { kind: 'not-installed' };
  return {
    kind: 'run',
    bin: path.join(installed, 'node_modules', 'husky', 'bin.js'),
    cwd: layout.runIn,
    args: layout.huskyArg ? [layout.huskyArg] : [],
    hooksPath,
    replaced: current && !same(current, path.join(layout.hooksDir, '_')) ? current : null,
  };
}

/**
 * The project's own husky, as `npx husky` would run it (the prepare script runs the same on every install):
 * it sets core.hooksPath and writes its `_` folder. It prints nothing on success and a reason otherwise
 * (`HUSKY=0 skip install`, `.git can't be found`).
 */
function runHusky(a: Extract<Activation, { kind: 'run' }>, io: CliIO): { ok: true } | { ok: false; message: string } {
  const r = spawnSync(process.execPath, [a.bin, ...a.args], { cwd: a.cwd, env: { ...process.env, ...io.env }, encoding: 'utf8', windowsHide: true });
  const said = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  if (r.error) return { ok: false, message: r.error.message };
  if (r.status !== 0 || said) return { ok: false, message: said || `exit code ${r.status}` };
  return { ok: true };
}

const past: Record<string, string> = { create: 'created', add: 'added', change: 'changed', set: 'set' };

interface Alternatives {
  husky: number | null;
  version: string;
  /** The hook script of an installed migration-lint, relative to the working directory. */
  installedHook: string | null;
  gitHook: string;
}

function explainAlternatives(out: (s?: string) => void, { husky, version, installedHook, gitHook }: Alternatives): void {
  if (husky === null) {
    out('husky is not a dependency of this project, so nothing was changed. To lint migrations before every commit, pick one:');
  } else {
    out(`husky ${husky} is a dependency of this project; init sets up husky 9 only, so nothing was changed. Pick one:`);
  }
  out();
  out(husky === null ? '  husky (shared with your team through package.json):' : '  upgrade husky, then run init again:');
  out(husky === null ? '    npm i -D husky' : '    npm i -D husky@9');
  out('    npx migration-lint init');
  out();
  out('  a plain git hook (this clone only):');
  if (installedHook) out(`    cp ${installedHook} ${gitHook}`);
  else out(`    printf '#!/bin/sh\\nexec npx --no-install migration-lint --staged\\n' > ${gitHook}`);
  out(`    chmod +x ${gitHook}`);
  out();
  out('  the pre-commit framework (https://pre-commit.com), in .pre-commit-config.yaml:');
  for (const line of PRE_COMMIT_SNIPPET.replace('VERSION', version).split('\n')) out(`    ${line}`);
  out('    then: pre-commit install');
}

/** husky's major version: the installed one, else the one package.json asks for; null when absent. */
function huskyMajor(pkg: PackageJson, pkgDir: string, gitRoot: string): number | null {
  const declared = dependsOn(pkg, 'husky');
  const installedDir = findUp(pkgDir, (dir) => statKind(path.join(dir, 'node_modules', 'husky', 'package.json')) === 'file', gitRoot);
  if (installedDir && declared) {
    const text = readText(path.join(installedDir, 'node_modules', 'husky', 'package.json'));
    const m = text ? /"version"\s*:\s*"(\d+)/.exec(text) : null;
    if (m) return Number(m[1]);
  }
  if (!declared) return null;
  // A range such as ^9.1.7, ~9, >=9 <10 or v9: its first number is the major. Tags (latest) mean current.
  const m = /(\d+)/.exec(declared.replace(/^npm:husky@/, ''));
  return m ? Number(m[1]) : 9;
}

interface HuskyLayout {
  hooksDir: string;
  prepareRunsHusky: boolean;
  prepareCommand: string;
  activate: string;
  /** Where the prepare script runs husky (it needs .git there), and the folder it passes, if any. */
  runIn: string;
  huskyArg: string | null;
}

/**
 * Where husky keeps the hooks: `.husky` beside package.json, unless the prepare script names another
 * folder (`cd .. && husky frontend/.husky`, husky's own recipe for a package below the git root).
 */
function huskyLayout(prepare: string | undefined, pkgDir: string, gitRoot: string): HuskyLayout {
  const m = prepare ? /(?:^|&&|;|\|\|)\s*(?:cd\s+([^\s&;|]+)\s*&&\s*)?husky(?:\s+install)?(?:\s+([^\s&;|-][^\s&;|]*))?\s*(?=$|&&|;|\|\|)/.exec(prepare) : null;
  if (m) {
    const base = m[1] ? path.resolve(pkgDir, m[1]) : pkgDir;
    const hooksDir = path.resolve(base, m[2] ?? '.husky');
    return { hooksDir, prepareRunsHusky: true, prepareCommand: prepare!, activate: m[1] || m[2] ? 'npm run prepare' : 'npx husky', runIn: base, huskyArg: m[2] ?? null };
  }
  if (path.resolve(pkgDir) === path.resolve(gitRoot)) {
    return { hooksDir: path.join(pkgDir, '.husky'), prepareRunsHusky: false, prepareCommand: 'husky', activate: 'npx husky', runIn: pkgDir, huskyArg: null };
  }
  // husky refuses `..` in its folder argument and needs .git in its working directory.
  const up = toPosix(path.relative(pkgDir, gitRoot));
  const dir = `${toPosix(path.relative(gitRoot, pkgDir))}/.husky`;
  const command = `cd ${up} && husky ${dir}`;
  return { hooksDir: path.join(pkgDir, '.husky'), prepareRunsHusky: false, prepareCommand: command, activate: 'npm run prepare', runIn: gitRoot, huskyArg: dir };
}

function dependsOn(pkg: PackageJson, name: string): string | null {
  for (const field of ['devDependencies', 'dependencies'] as const) {
    const v = pkg[field]?.[name];
    if (typeof v === 'string') return v;
  }
  return null;
}

function hasRealTestScript(pkg: PackageJson): boolean {
  const t = pkg.scripts?.test;
  return typeof t === 'string' && !/no test specified/.test(t);
}

/** The nearest directory from `start` upwards (stopping at `stop`, inclusive) for which `found` holds. */
function findUp(start: string, found: (dir: string) => boolean, stop: string | null): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (found(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir || (stop !== null && dir === path.resolve(stop))) return null;
    dir = parent;
  }
}

function detectIndent(text: string): string | number {
  const m = /^([ \t]+)"/m.exec(text);
  return m ? m[1]! : 2;
}

const toPosix = (p: string) => p.split(path.sep).join('/');
const rel = (cwd: string, p: string) => toPosix(path.relative(cwd, p)) || '.';
