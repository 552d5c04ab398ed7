/**
 * What the package and hook tests share: the packed tarball, temp projects, and child processes run
 * with an environment that neither the developer's git config nor an outer `npm test` can leak into.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BAD_FIXTURE = path.join(ROOT, 'fixtures/rules/missing-sqlmodel-import/bad');
export const GOOD_FIXTURE = path.join(ROOT, 'fixtures/rules/missing-sqlmodel-import/good');
/** The bad fixture's migration, and where `sqlmodel` is first used in it (line 23, columns 23–31). */
export const BAD_MIGRATION = 'alembic/versions/816839da6518_add_hero_table.py';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr as the terminal would show them, interleaved in arrival order. */
  all: string;
}

const created: string[] = [];

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `migration-lint-${prefix}-`));
  created.push(dir);
  return dir;
}

/** For afterAll: the temp projects hold installed packages and pre-commit environments. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

const gitConfigHome = tempDir('gitconfig');
const gitConfig = path.join(gitConfigHome, 'gitconfig');
fs.writeFileSync(gitConfig, '[user]\n\tname = Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n');

/**
 * The environment of every child: no npm_* from an outer `npm test`, no GIT_* from an outer hook, no
 * global git config (a global core.hooksPath would bypass the hook under test), colours off, and npm
 * answering from its cache first so the tests work offline.
 */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|GIT_|HUSKY|PRE_COMMIT|FORCE_COLOR|NO_COLOR|INIT_CWD$|VITEST|NODE_OPTIONS$)/i.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: gitConfig,
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export function run(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let all = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      all += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d;
      all += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 55_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, all });
    });
  });
}

/** Runs and insists on exit 0, showing the output when it is not. */
export async function ok(cmd: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.code} in ${opts.cwd}:\n${r.all}`);
  return r;
}

export function hasCommand(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface Packed {
  tarball: string;
  files: { path: string; mode: number }[];
}

/**
 * `npm pack` of this checkout. Scripts are skipped because the caller has just run `npm run build`
 * (prepack would run tsc again, racing other builds of the same lib/); the pre-commit framework test
 * runs the real prepack in a copy of the repository.
 */
export async function pack(dest: string): Promise<Packed> {
  if (!fs.existsSync(path.join(ROOT, 'lib/cli.js'))) throw new Error('lib/cli.js is missing: run `npm run build` first');
  const r = await ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: ROOT });
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string; mode: number }[] }[];
  return { tarball: path.join(dest, info!.filename), files: info!.files };
}

/** An empty npm project (optionally a git repository) with the tarball and `extra` installed. */
export async function project(dir: string, tarball: string, opts: { git?: boolean; dev?: boolean; extra?: string[] } = {}): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'app', version: '1.0.0', private: true }, null, 2)}\n`);
  if (opts.git) {
    await ok('git', ['init', '-q'], { cwd: dir });
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  }
  await ok('npm', ['install', ...(opts.dev ? ['-D'] : []), tarball, ...(opts.extra ?? [])], { cwd: dir, timeoutMs: 120_000 });
}

export function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}
