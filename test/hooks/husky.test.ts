/**
 * A new user's path, with git itself running the hook: `npm i -D migration-lint husky` and
 * `npx migration-lint init`, nothing else (init runs husky's own set-up); a migration without `import sqlmodel` is staged and
 * `git commit` stops with the diagnostic; `npx migration-lint --fix`, `git add`, and the commit passes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BAD_FIXTURE, BAD_MIGRATION, ok, pack, project, run, tempDir, removeTempDirs } from '../package/helpers.js';

afterAll(removeTempDirs);

let repo: string;
let setupCommit: string;
const migration = () => path.join(repo, 'backend', BAD_MIGRATION);
const commitCount = async () => Number((await ok('git', ['rev-list', '--count', 'HEAD'], { cwd: repo })).stdout.trim());

beforeAll(async () => {
  const tmp = tempDir('husky');
  const { tarball } = await pack(tmp);
  repo = path.join(tmp, 'repo');
  await project(repo, tarball, { git: true, dev: true, extra: ['husky@9'] });

  const init = await ok('npx', ['migration-lint', 'init'], { cwd: repo });
  expect(init.stdout).toContain('created .husky/pre-commit');
  expect(fs.readFileSync(path.join(repo, '.husky/pre-commit'), 'utf8')).toBe('sh node_modules/migration-lint/hooks/pre-commit\n');
  expect(JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).scripts).toEqual({ prepare: 'husky' });
  expect(init.stdout).toContain('ran husky: git runs the hooks in .husky/ from the next commit on (core.hooksPath .husky/_)');

  // The setup commit stages no Python, so the hook lets it through without starting node.
  await ok('git', ['add', '-A'], { cwd: repo });
  const first = await ok('git', ['commit', '-m', 'set up husky and migration-lint'], { cwd: repo });
  expect(first.all).not.toContain('migration-lint stopped this commit');
  setupCommit = (await ok('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
}, 180_000);

beforeEach(async () => {
  await ok('git', ['reset', '-q', '--hard', setupCommit], { cwd: repo });
  await ok('git', ['clean', '-q', '-fd'], { cwd: repo });
  fs.cpSync(BAD_FIXTURE, path.join(repo, 'backend'), { recursive: true });
});

describe('the husky pre-commit hook', { timeout: 55_000 }, () => {
  it('blocks a staged migration without `import sqlmodel`, and passes once --fix is applied and staged', async () => {
    await ok('git', ['add', 'backend'], { cwd: repo });
    const blocked = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
    expect(blocked.code).not.toBe(0);
    expect(blocked.all).toMatch(/backend\/alembic\/versions\/816839da6518_add_hero_table\.py:23:23 +error +`sqlmodel` is used here but never imported.* missing-sqlmodel-import/);
    expect(blocked.all).toContain('migration-lint stopped this commit');
    expect(blocked.all).toContain('npx migration-lint --fix');
    expect(blocked.all).toContain('# migration-lint: ignore destructive-operation -- ');
    expect(await commitCount()).toBe(1);

    const fix = await ok('npx', ['migration-lint', '--fix'], { cwd: repo });
    expect(fix.stdout).toContain(`fixed backend/${BAD_MIGRATION}: insert \`import sqlmodel\``);
    expect(fs.readFileSync(migration(), 'utf8').split('\n').slice(8, 10)).toEqual(['import sqlalchemy as sa', 'import sqlmodel']);

    await ok('git', ['add', 'backend'], { cwd: repo });
    const passed = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
    expect(passed.all).not.toContain('migration-lint stopped this commit');
    expect(passed.code).toBe(0);
    expect(await commitCount()).toBe(2);
    expect((await ok('git', ['show', `HEAD:backend/${BAD_MIGRATION}`], { cwd: repo })).stdout).toContain('import sqlalchemy as sa\nimport sqlmodel\n');
  });

  // The two tests below hold only when `--staged` reads the git index, not the work tree.
  it('lints what is staged: a fix left unstaged does not let the bad blob through', async () => {
    await ok('git', ['add', 'backend'], { cwd: repo });
    await ok('npx', ['migration-lint', '--fix'], { cwd: repo });
    const blocked = await run('git', ['commit', '-m', 'add hero table'], { cwd: repo });
    expect(blocked.all).toContain(`backend/${BAD_MIGRATION}:23:23`);
    expect(blocked.code).not.toBe(0);
    expect(await commitCount()).toBe(1);
  });

  it('lints what is staged: an unstaged bad edit does not block a good commit', async () => {
    await ok('npx', ['migration-lint', '--fix'], { cwd: repo });
    await ok('git', ['add', 'backend'], { cwd: repo });
    await ok('git', ['commit', '-q', '-m', 'add hero table'], { cwd: repo });

    fs.cpSync(path.join(BAD_FIXTURE, BAD_MIGRATION), migration());
    fs.appendFileSync(path.join(repo, 'backend/models.py'), '\n# heroes have secret names\n');
    await ok('git', ['add', 'backend/models.py'], { cwd: repo });
    const passed = await run('git', ['commit', '-m', 'document the hero model'], { cwd: repo });
    expect(passed.all).not.toContain('migration-lint stopped this commit');
    expect(passed.code).toBe(0);
    expect(await commitCount()).toBe(3);
  });
});
