/**
 * The plain git hook that `init` offers without husky: the shipped script copied to .git/hooks, and the
 * one-line `npx --no-install` hook, each run by git itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BAD_FIXTURE, BAD_MIGRATION, ok, pack, project, run, tempDir, testEnv, removeTempDirs } from '../package/helpers.js';

afterAll(removeTempDirs);

let repo: string;
let setupCommit: string;
const hookFile = () => path.join(repo, '.git/hooks/pre-commit');
const commitCount = async () => Number((await ok('git', ['rev-list', '--count', 'HEAD'], { cwd: repo })).stdout.trim());

beforeAll(async () => {
  const tmp = tempDir('git-hook');
  const { tarball } = await pack(tmp);
  repo = path.join(tmp, 'repo');
  await project(repo, tarball, { git: true, dev: true });
  await ok('git', ['add', '-A'], { cwd: repo });
  await ok('git', ['commit', '-q', '-m', 'add migration-lint'], { cwd: repo });
  setupCommit = (await ok('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
}, 150_000);

beforeEach(async () => {
  await ok('git', ['reset', '-q', '--hard', setupCommit], { cwd: repo });
  await ok('git', ['clean', '-q', '-fd'], { cwd: repo });
  fs.rmSync(hookFile(), { force: true });
});

async function blockedThenFixed(): Promise<string> {
  fs.cpSync(BAD_FIXTURE, path.join(repo, 'backend'), { recursive: true });
  await ok('git', ['add', 'backend'], { cwd: repo });
  const blocked = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
  expect(blocked.all).toMatch(/backend\/alembic\/versions\/816839da6518_add_hero_table\.py:23:23 +error +`sqlmodel` is used here but never imported.* missing-sqlmodel-import/);
  expect(blocked.code).not.toBe(0);
  expect(await commitCount()).toBe(1);

  await ok('npx', ['migration-lint', '--fix'], { cwd: repo });
  await ok('git', ['add', 'backend'], { cwd: repo });
  const passed = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
  expect(passed.code).toBe(0);
  expect(await commitCount()).toBe(2);
  expect((await ok('git', ['show', `HEAD:backend/${BAD_MIGRATION}`], { cwd: repo })).stdout).toContain('import sqlalchemy as sa\nimport sqlmodel\n');
  return blocked.all;
}

describe('a plain git hook', { timeout: 55_000 }, () => {
  it('the shipped script, copied to .git/hooks, runs node_modules/.bin/migration-lint and says what to do', async () => {
    fs.copyFileSync(path.join(repo, 'node_modules/migration-lint/hooks/pre-commit'), hookFile());
    fs.chmodSync(hookFile(), 0o755);
    const output = await blockedThenFixed();
    expect(output).toContain('migration-lint stopped this commit: the staged migrations above have errors.\n  1. Fix what is fixable:   npx migration-lint --fix\n');
    // The fix comes first; skipping the hook is never offered.
    expect(output).not.toMatch(/--no-verify|HUSKY=0/);
  });

  it('the one-line `npx --no-install migration-lint --staged` hook', async () => {
    fs.writeFileSync(hookFile(), '#!/bin/sh\nexec npx --no-install migration-lint --staged\n', { mode: 0o755 });
    await blockedThenFixed();
  });

  it('the shipped script does not start node for a commit without Python or Mako files', async () => {
    fs.copyFileSync(path.join(repo, 'node_modules/migration-lint/hooks/pre-commit'), hookFile());
    fs.chmodSync(hookFile(), 0o755);
    // A `node` that fails: if the hook started node (or npx) the commit would fail.
    const bin = path.join(repo, '..', 'failing-node');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "node was started" >&2\nexit 99\n', { mode: 0o755 });
    const env = testEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    fs.writeFileSync(path.join(repo, 'notes.md'), 'heroes\n');
    await ok('git', ['add', 'notes.md'], { cwd: repo, env });
    const r = await run('git', ['commit', '-m', 'notes'], { cwd: repo, env });
    expect(r.all).not.toContain('node was started');
    expect(r.code).toBe(0);

    // The same hook with a staged migration does reach for node, which proves the shim is in the way.
    fs.cpSync(BAD_FIXTURE, path.join(repo, 'backend'), { recursive: true });
    await ok('git', ['add', 'backend'], { cwd: repo, env });
    const r2 = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo, env });
    expect(r2.all).toContain('node was started');
    expect(r2.code).not.toBe(0);
  });

  it('the shipped script says how to install migration-lint when it cannot find it', async () => {
    fs.copyFileSync(path.join(repo, 'node_modules/migration-lint/hooks/pre-commit'), hookFile());
    fs.chmodSync(hookFile(), 0o755);
    const bin = path.join(repo, 'node_modules/.bin');
    fs.renameSync(bin, `${bin}.away`);
    try {
      // npx --no-install still finds the package through node_modules/migration-lint; hide it too.
      fs.renameSync(path.join(repo, 'node_modules/migration-lint'), path.join(repo, 'node_modules/migration-lint.away'));
      fs.cpSync(BAD_FIXTURE, path.join(repo, 'backend'), { recursive: true });
      await ok('git', ['add', 'backend'], { cwd: repo });
      const r = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
      expect(r.stderr).toBe('migration-lint: not installed here; run `npm i -D migration-lint` (or remove this hook)\n');
      expect(r.code).not.toBe(0);
      expect(await commitCount()).toBe(1);
    } finally {
      fs.renameSync(`${bin}.away`, bin);
      fs.renameSync(path.join(repo, 'node_modules/migration-lint.away'), path.join(repo, 'node_modules/migration-lint'));
    }
  });
});
