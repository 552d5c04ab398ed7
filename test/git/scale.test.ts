/**
 * The git plumbing does not scale with the number of migrations: a repository with 10,000 of them and one
 * changed file is linted in --base and --staged mode with the same few git processes as one with 3.
 */
import { describe, expect, it } from 'vitest';
import { gitStats } from '../../src/git/exec.js';
import { edited, git, gitInput, migration, read, runCli, tmpDir, VERSIONS, write, writeProject } from './helpers.js';

const rev = (i: number) => `r${String(i).padStart(5, '0')}`;
const file = (i: number) => `${VERSIONS}/${rev(i)}_add_t${i}.py`;
// Each revision creates its own table: a realistic long history, and one whose lineage no rule has to walk.
const nullable = (i: number) => `op.create_table('t${i}', sa.Column('id', sa.Integer(), nullable=True))`;

/**
 * A linear history of `n` revisions committed on main. The objects go in through one `git fast-import`
 * (one pack instead of n loose objects) and the index through one `git reset`: seconds, not minutes.
 */
function repoWith(n: number): string {
  const repo = tmpDir(`scale${n}`);
  writeProject(repo);
  const files: [string, string][] = [
    ['alembic.ini', read(repo, 'alembic.ini')],
    ['alembic/env.py', read(repo, 'alembic/env.py')],
    ['alembic/script.py.mako', read(repo, 'alembic/script.py.mako')],
  ];
  for (let i = 0; i < n; i++) {
    const text = migration({
      rev: rev(i),
      down: i ? rev(i - 1) : null,
      message: `add t${i} table`,
      upgrade: [nullable(i)],
      downgrade: [`op.drop_table('t${i}')`],
    });
    write(repo, file(i), text);
    files.push([file(i), text]);
  }
  let stream = 'commit refs/heads/main\ncommitter Tester <tester@example.com> 1700000000 +0000\ndata 17\napplied revisions\n';
  for (const [name, text] of files) stream += `M 100644 inline ${name}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  git(repo, 'init', '-q', '-b', 'main');
  gitInput(repo, stream, 'fast-import', '--quiet');
  git(repo, 'reset', '-q');
  git(repo, 'checkout', '-q', '-b', 'feature');
  return repo;
}

function editOp(i: number): string {
  return nullable(i).replace('nullable=True', 'nullable=False');
}

async function counted(cwd: string, args: string[]) {
  gitStats.processes = 0;
  const run = await runCli(cwd, args);
  return { run, processes: gitStats.processes };
}

/** Commits a semantic edit of revision `a`, stages one of revision `b`, and lints with --base and --staged. */
async function scenario(n: number, a: number, b: number) {
  const repo = repoWith(n);
  expect(git(repo, 'status', '--porcelain')).toBe('');
  write(repo, file(a), read(repo, file(a)).replace(nullable(a), editOp(a)));
  git(repo, 'commit', '-q', '-am', 'edit an applied revision');
  const base = await counted(repo, ['--base', 'main']);
  write(repo, file(b), read(repo, file(b)).replace(nullable(b), editOp(b)));
  git(repo, 'add', '--', file(b));
  const staged = await counted(repo, ['--staged']);
  return { base, staged };
}

const at = (i: number) => ({ rule: 'applied-migration-edited', severity: 'error', file: file(i), line: 22, column: 5, endLine: 22, endColumn: 5 + editOp(i).length });

describe('git processes do not grow with the repository', () => {
  it('10,000 migrations, one changed file: the same handful of git processes as 3 migrations', async () => {
    const started = Date.now();
    const big = await scenario(10_000, 4321, 9876);
    const bigMs = Date.now() - started;
    const small = await scenario(3, 1, 2);

    expect(edited(big.base.run)).toEqual([at(4321)]);
    expect(JSON.parse(big.base.run.stdout).summary.files).toBe(1);
    expect(edited(big.staged.run)).toEqual([at(9876)]);
    expect(JSON.parse(big.staged.run.stdout).summary.files).toBe(1);
    expect(edited(small.base.run)).toEqual([at(1)]);
    expect(edited(small.staged.run)).toEqual([at(2)]);

    expect(big.base.processes).toBe(small.base.processes);
    expect(big.staged.processes).toBe(small.staged.processes);
    expect(big.base.processes).toBeLessThanOrEqual(10);
    expect(big.staged.processes).toBeLessThanOrEqual(10);
    console.log(`10,000 migrations: --base ${big.base.processes} git processes, --staged ${big.staged.processes}; built and linted twice in ${bigMs} ms`);
  }, 300_000);
});
