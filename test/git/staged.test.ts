/**
 * --staged lints the index exactly as git will commit it: staged blobs, never the work tree; unstaged
 * files are not linted; graph rules see the staged tree; a partially staged file is judged by its staged half.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  edited,
  git,
  gitEnv,
  HERO_FILE,
  messages,
  migration,
  POWER,
  POWER_FILE,
  read,
  runBin,
  runCli,
  TEAM,
  TEAM_FILE,
  tmpDir,
  upstreamAndClone,
  VERSIONS,
  write,
  writeProject,
} from './helpers.js';

const RULE = 'applied-migration-edited';
const SEMANTIC_POWER = "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))";
const semanticAt = (severity = 'error') => ({ rule: RULE, severity, file: POWER_FILE, line: 22, column: 5, endLine: 22, endColumn: 5 + SEMANTIC_POWER.length });
const importAt = { rule: RULE, severity: 'warning', file: POWER_FILE, line: 11, column: 1, endLine: 11, endColumn: 10 };
const summary = (stdout: string) => JSON.parse(stdout).summary as { files: number; errors: number; warnings: number };

describe('--staged', () => {
  it('lints a staged edit, and neither sees nor lints an unstaged one', async () => {
    const { repo } = upstreamAndClone('staged');
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    git(repo, 'add', POWER_FILE);
    write(repo, HERO_FILE, read(repo, HERO_FILE).replace("'name'", "'nickname'"));
    const run = await runCli(repo, ['--staged']);
    expect(run.status).toBe(1);
    expect(edited(run)).toEqual([semanticAt()]);
    expect(run.diagnostics.filter((d) => d.file === HERO_FILE)).toEqual([]);
    expect(summary(run.stdout).files).toBe(1);
    // The same tree without --staged sees the unstaged edit too.
    expect(edited(await runCli(repo, [])).map((d) => d.file)).toEqual([HERO_FILE, POWER_FILE]);
  });

  it('judges a partially staged file by its staged half', async () => {
    const { repo } = upstreamAndClone('partial');
    // Staged: an import only. Unstaged on top of it: a semantic edit.
    write(repo, POWER_FILE, read(repo, POWER_FILE).replace('import sqlmodel\n', 'import sqlmodel\nimport os\n'));
    git(repo, 'add', POWER_FILE);
    write(repo, POWER_FILE, read(repo, POWER_FILE).replace('nullable=True', 'nullable=False'));
    const staged = await runCli(repo, ['--staged']);
    expect(edited(staged)).toEqual([importAt]);
    expect(staged.status).toBe(0);
    expect(edited(await runCli(repo, []))).toEqual([{ ...semanticAt(), line: 23, endLine: 23 }]);

    // The other way round: the semantic edit staged, the work tree put back as it was.
    git(repo, 'checkout', '-q', '--', POWER_FILE);
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    git(repo, 'add', POWER_FILE);
    write(repo, POWER_FILE, git(repo, 'show', `origin/main:${POWER_FILE}`));
    expect(edited(await runCli(repo, ['--staged']))).toEqual([semanticAt()]);
    expect(edited(await runCli(repo, []))).toEqual([]);
  });

  it('reads the index even when the work tree file is gone', async () => {
    const { repo, baseSha } = upstreamAndClone('gone');
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    git(repo, 'add', POWER_FILE);
    fs.rmSync(path.join(repo, POWER_FILE));
    expect(edited(await runCli(repo, ['--staged']))).toEqual([semanticAt()]);
    // Without --staged the work tree is what counts: the file was deleted.
    const run = await runCli(repo, []);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'error', file: 'alembic/script.py.mako', line: 1, column: 1, endLine: 1, endColumn: 1 }]);
    expect(messages(run)[0]).toBe(`Applied revision 'b2c3d4e5f6a7' was deleted since baseline ${baseSha.slice(0, 7)} (merge-base with origin/main): ${POWER_FILE} is gone`);
  });

  it('reports a staged deletion and a staged rename', async () => {
    const { repo } = upstreamAndClone('staged-moves');
    const renamed = `${VERSIONS}/b2c3d4e5f6a7_power.py`;
    git(repo, 'mv', POWER_FILE, renamed);
    const run = await runCli(repo, ['--staged']);
    expect(edited(run)).toEqual([{ rule: RULE, severity: 'warning', file: renamed, line: 14, column: 1, endLine: 14, endColumn: 26 }]);
    expect(messages(run)[0]).toMatch(/was renamed from alembic\/versions\/b2c3d4e5f6a7_add_hero_power\.py since baseline [0-9a-f]{7} \(merge-base with origin\/main\); its content is unchanged$/);
    git(repo, 'rm', '-q', HERO_FILE);
    // The renamed child is reported (the commit touches it) and still names the deleted revision: the deletion is shown there.
    expect(edited(await runCli(repo, ['--staged']))).toEqual([
      { rule: RULE, severity: 'warning', file: renamed, line: 14, column: 1, endLine: 14, endColumn: 26 },
      { rule: RULE, severity: 'error', file: renamed, line: 15, column: 1, endLine: 15, endColumn: 31 },
    ]);
  });

  it('lets graph rules and the template check see the staged tree, not the work tree', async () => {
    const { repo } = upstreamAndClone('graph');
    // Staged: a new head on top of power, and a template without `import sqlmodel`.
    write(repo, TEAM_FILE, migration(TEAM));
    write(repo, 'alembic/script.py.mako', read(repo, 'alembic/script.py.mako').replace('import sqlmodel\n', ''));
    git(repo, 'add', '-A');
    // Unstaged: a second head on power, and the template fixed again.
    write(repo, `${VERSIONS}/d4e5f6a7b8c9_add_villain.py`, migration({ ...TEAM, rev: 'd4e5f6a7b8c9', message: 'add villain table' }));
    write(repo, 'alembic/script.py.mako', read(repo, 'alembic/script.py.mako').replace('import sqlalchemy as sa\n', 'import sqlalchemy as sa\nimport sqlmodel\n'));
    const staged = await runCli(repo, ['--staged']);
    expect(staged.diagnostics.filter((d) => d.rule === 'multiple-heads')).toEqual([]);
    expect(staged.diagnostics.filter((d) => d.rule === 'template-missing-sqlmodel-import').map((d) => d.file)).toEqual(['alembic/script.py.mako']);
    const all = await runCli(repo, []);
    expect(all.diagnostics.filter((d) => d.rule === 'multiple-heads').length).toBeGreaterThan(0);
    expect(all.diagnostics.filter((d) => d.rule === 'template-missing-sqlmodel-import')).toEqual([]);
  });

  it('follows GIT_INDEX_FILE, as during `git commit -a` or `git commit <path>`', async () => {
    const { repo } = upstreamAndClone('indexfile');
    const alt = path.join(repo, '.git', 'alt-index');
    fs.copyFileSync(path.join(repo, '.git', 'index'), alt);
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    gitEnv(repo, { GIT_INDEX_FILE: alt }, 'add', POWER_FILE);
    expect(edited(await runCli(repo, ['--staged']))).toEqual([]);
    expect(edited(await runCli(repo, ['--staged'], { GIT_INDEX_FILE: alt }))).toEqual([semanticAt()]);
  });

  it('works on an unborn branch: everything staged is new, nothing is applied', async () => {
    const repo = tmpDir('unborn');
    git(repo, 'init', '-q', '-b', 'main');
    writeProject(repo);
    write(repo, `${VERSIONS}/a1b2c3d4e5f6_add_hero_table.py`, migration({ ...POWER, rev: 'a1b2c3d4e5f6', down: null }));
    write(repo, `${VERSIONS}/untracked.py`, 'this is not python(');
    git(repo, 'add', 'alembic/script.py.mako', VERSIONS + '/a1b2c3d4e5f6_add_hero_table.py');
    const staged = await runCli(repo, ['--staged']);
    expect(staged.stderr).toBe('');
    expect(summary(staged.stdout).files).toBe(1);
    expect(staged.diagnostics.filter((d) => d.rule === 'parse-error')).toEqual([]);
    expect(edited(staged)).toEqual([]);
    const plain = await runCli(repo, []);
    expect(plain.stderr).toBe('');
    expect(plain.diagnostics.filter((d) => d.rule === 'parse-error').map((d) => d.file)).toEqual([`${VERSIONS}/untracked.py`]);
  });

  it('refuses --fix, which would write the work tree', () => {
    const { repo } = upstreamAndClone('fix');
    const run = runBin(repo, ['--staged', '--fix']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('migration-lint: --fix rewrites files in the work tree; run it without --staged, then stage the result\n');
  });
});
