/**
 * The same new-user path through the pre-commit framework (Debian's `pre-commit`), with git running
 * the hook that `pre-commit install` writes:
 * - this repository as the hook repo, as pre-commit clones it (sources, no lib/: pre-commit runs
 *   `npm install` and `npm pack`, so prepack builds it), read through .pre-commit-hooks.yaml;
 * - a `repo: local` hook with the package as an additional dependency, exactly as `init` prints it.
 * pre-commit's node environments install from the npm cache (npm_config_prefer_offline).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRE_COMMIT_SNIPPET } from '../../src/cli/init.js';
import { BAD_FIXTURE, BAD_MIGRATION, ROOT, hasCommand, ok, pack, project, run, tempDir, testEnv, removeTempDirs } from '../package/helpers.js';

afterAll(removeTempDirs);

const havePreCommit = hasCommand('pre-commit');
/** What a checkout of this repository holds that `npm install` + `npm pack` need (lib/ is gitignored). */
const HOOK_REPO_FILES = ['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build-cli.mjs', 'scripts/build-action.mjs', 'scripts/build-grammar.mjs', 'src', 'hooks', 'docs', 'README.md', 'LICENSE', '.pre-commit-hooks.yaml'];

let tmp: string;
let cli: string;

function preCommitEnv(home: string): NodeJS.ProcessEnv {
  const env = testEnv({ PRE_COMMIT_HOME: home });
  delete env.SKIP;
  return env;
}

async function userRepo(name: string, config: string): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = path.join(tmp, name);
  const env = preCommitEnv(path.join(tmp, `${name}-cache`));
  fs.mkdirSync(dir);
  await ok('git', ['init', '-q'], { cwd: dir, env });
  fs.writeFileSync(path.join(dir, '.pre-commit-config.yaml'), config);
  await ok('pre-commit', ['install'], { cwd: dir, env });
  // Building the hook's environment is pre-commit's one-time cost, paid here rather than in a commit.
  await ok('pre-commit', ['install-hooks'], { cwd: dir, env, timeoutMs: 420_000 });
  await ok('git', ['add', '-A'], { cwd: dir, env });
  await ok('git', ['commit', '-q', '-m', 'configure pre-commit'], { cwd: dir, env });
  return { dir, env };
}

async function blockedThenFixed(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  fs.cpSync(BAD_FIXTURE, path.join(dir, 'backend'), { recursive: true });
  await ok('git', ['add', 'backend'], { cwd: dir, env });
  const blocked = await run('git', ['commit', '-m', 'add hero table'], { cwd: dir, env });
  expect(blocked.all).toMatch(/^migration-lint\.+Failed$/m);
  expect(blocked.all).toMatch(/backend\/alembic\/versions\/816839da6518_add_hero_table\.py:23:23 +error +`sqlmodel` is used here but never imported.* missing-sqlmodel-import/);
  expect(blocked.code).not.toBe(0);
  expect((await ok('git', ['rev-list', '--count', 'HEAD'], { cwd: dir, env })).stdout.trim()).toBe('1');

  // What `npx migration-lint --fix` runs for a user without the package in node_modules.
  const fix = await ok('node', [cli, '--fix'], { cwd: dir, env });
  expect(fix.stdout).toContain(`fixed backend/${BAD_MIGRATION}: insert \`import sqlmodel\``);
  await ok('git', ['add', 'backend'], { cwd: dir, env });
  const passed = await run('git', ['commit', '-m', 'add hero table'], { cwd: dir, env });
  expect(passed.all).toMatch(/^migration-lint\.+Passed$/m);
  expect(passed.code).toBe(0);
  expect((await ok('git', ['show', `HEAD:backend/${BAD_MIGRATION}`], { cwd: dir, env })).stdout).toContain('import sqlalchemy as sa\nimport sqlmodel\n');
}

describe.skipIf(!havePreCommit)('through the pre-commit framework (needs `pre-commit` on PATH: apt-get install pre-commit)', { timeout: 55_000 }, () => {
  beforeAll(async () => {
    tmp = tempDir('pre-commit');
    const { tarball } = await pack(tmp);
    await project(path.join(tmp, 'tools'), tarball);
    cli = path.join(tmp, 'tools/node_modules/migration-lint/lib/cli.js');
    fs.renameSync(tarball, path.join(tmp, 'migration-lint.tgz'));
  }, 120_000);

  describe('with this repository as the hook repo', () => {
    let user: { dir: string; env: NodeJS.ProcessEnv };
    beforeAll(async () => {
      const hookRepo = path.join(tmp, 'hook-repo');
      for (const f of HOOK_REPO_FILES) {
        if (fs.existsSync(path.join(ROOT, f))) fs.cpSync(path.join(ROOT, f), path.join(hookRepo, f), { recursive: true });
      }
      const env = preCommitEnv(path.join(tmp, 'unused'));
      await ok('git', ['init', '-q'], { cwd: hookRepo, env });
      await ok('git', ['add', '-A'], { cwd: hookRepo, env });
      await ok('git', ['commit', '-q', '-m', 'migration-lint'], { cwd: hookRepo, env });
      const rev = (await ok('git', ['rev-parse', 'HEAD'], { cwd: hookRepo, env })).stdout.trim();
      user = await userRepo(
        'user-hook-repo',
        `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: migration-lint\n        language_version: system\n`,
      );
    }, 450_000);

    it('blocks the bad migration, and lets the fixed one through', async () => {
      await blockedThenFixed(user.dir, user.env);
    });
  });

  describe('with the `repo: local` snippet that init prints', () => {
    let user: { dir: string; env: NodeJS.ProcessEnv };
    beforeAll(async () => {
      const config = PRE_COMMIT_SNIPPET.replace('"migration-lint@VERSION"', JSON.stringify(path.join(tmp, 'migration-lint.tgz')));
      user = await userRepo('user-local', `${config}\n`);
    }, 450_000);

    it('blocks the bad migration, and lets the fixed one through', async () => {
      await blockedThenFixed(user.dir, user.env);
    });
  });
});
