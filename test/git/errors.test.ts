/**
 * Environment errors: one line on stderr, exit 2, and a way out in the message. Run through the built CLI
 * in its own process, as users see it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { edited, git, HERO, HERO_FILE, migration, POWER_FILE, POWER, runBin, runCli, tmpDir, upstreamAndClone, write, writeProject } from './helpers.js';

const SEMANTIC_POWER = "op.add_column('hero', sa.Column('power', sa.Integer(), nullable=False))";

/** A project outside any repository: GIT_CEILING_DIRECTORIES keeps git from finding one above the temp folder. */
function plainProject(): { dir: string; env: Record<string, string> } {
  const dir = tmpDir('norepo');
  writeProject(dir);
  write(dir, HERO_FILE, migration(HERO));
  return { dir, env: { GIT_CEILING_DIRECTORIES: path.dirname(dir) } };
}

describe('outside a repository', () => {
  it('--staged and --base are errors that say why', () => {
    const { dir, env } = plainProject();
    for (const flag of [['--staged'], ['--base', 'main']]) {
      const run = runBin(dir, flag, env);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`migration-lint: ${flag[0]} needs a git repository, and ${dir} is not inside one (run it from the repository, or lint without ${flag[0]})\n`);
    }
  });

  it('the default mode lints the files without history and without complaint', async () => {
    const { dir, env } = plainProject();
    const run = await runCli(dir, [], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).summary.files).toBe(1);
  });
});

describe('without git on PATH', () => {
  it('--staged is an error; the default mode works as outside a repository', async () => {
    const { repo } = upstreamAndClone('nogit');
    write(repo, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    const empty = tmpDir('emptypath');
    const staged = await runCli(repo, ['--staged'], { PATH: empty });
    expect(staged.status).toBe(2);
    expect(staged.stderr).toBe('migration-lint: --staged needs git, which is not installed or not on PATH\n');
    const plain = await runCli(repo, [], { PATH: empty });
    expect(plain.stderr).toBe('');
    expect(edited(plain)).toEqual([]);
    expect(JSON.parse(plain.stdout).summary.files).toBe(2);
  });
});

describe('refs', () => {
  it('an unknown ref, a ref that looks like an option, and unrelated histories', async () => {
    const { repo } = upstreamAndClone('refs');
    const unknown = await runCli(repo, ['--base', 'origin/nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("migration-lint: --base: unknown git ref 'origin/nope' (fetch it first, e.g. `git fetch origin`)\n");

    const dash = await runCli(repo, ['--base=--output=x']);
    expect(dash.status).toBe(2);
    expect(dash.stderr).toBe("migration-lint: --base: '--output=x' is not a git ref\n");
    expect(fs.existsSync(path.join(repo, 'x'))).toBe(false);

    git(repo, 'checkout', '-q', '--orphan', 'lonely');
    git(repo, 'commit', '-q', '-m', 'unrelated');
    const unrelated = await runCli(repo, ['--base', 'origin/main']);
    expect(unrelated.status).toBe(2);
    expect(unrelated.stderr).toBe("migration-lint: --base: 'origin/main' and HEAD have no common ancestor\n");
  });

  it('config `baseline` naming an unknown ref is an error too', async () => {
    const { repo } = upstreamAndClone('configref');
    fs.writeFileSync(path.join(repo, 'migration-lint.config.json'), JSON.stringify({ baseline: 'release/2023' }));
    const run = await runCli(repo, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("migration-lint: config baseline: unknown git ref 'release/2023' (fetch it first, e.g. `git fetch origin`)\n");
  });

  it('--base on an unborn branch says there is nothing to compare with', async () => {
    const repo = tmpDir('unborn-base');
    git(repo, 'init', '-q', '-b', 'main');
    writeProject(repo);
    write(repo, HERO_FILE, migration(HERO));
    const run = await runCli(repo, ['--base', 'main']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('migration-lint: --base compares with HEAD, but this repository has no commit yet (unborn branch)\n');
  });
});

describe('a shallow clone', () => {
  it('says how to fetch the missing baseline, and works once it is there', async () => {
    const { repo: upstream } = upstreamAndClone('shallow-up');
    // The upstream's feature branch: two commits on top of main, the second edits an applied revision.
    git(upstream, 'remote', 'remove', 'origin');
    write(upstream, 'README.md', 'feature\n');
    git(upstream, 'add', 'README.md');
    git(upstream, 'commit', '-q', '-m', 'readme');
    write(upstream, POWER_FILE, migration({ ...POWER, upgrade: [SEMANTIC_POWER] }));
    git(upstream, 'commit', '-q', '-am', 'edit applied');
    // Its HEAD is main, as on a hosted remote, so a single-branch clone of feature gets no origin/HEAD.
    git(upstream, 'checkout', '-q', 'main');

    const clone = tmpDir('shallow');
    git(clone, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${upstream}`, '.');
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const fix = 'this is a shallow clone that lacks the history needed: fetch it with `fetch-depth: 0` in actions/checkout, or run `git fetch --deepen=100` (or `git fetch --unshallow`)';

    // The base branch was never fetched.
    const missingRef = await runCli(clone, ['--base', 'origin/main']);
    expect(missingRef.status).toBe(2);
    expect(missingRef.stderr).toBe(`migration-lint: --base: unknown git ref 'origin/main'; ${fix}\n`);

    // Fetched, but only its tip: the merge-base lies below the shallow boundary.
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const missingBase = await runCli(clone, ['--base', 'origin/main']);
    expect(missingBase.status).toBe(2);
    expect(missingBase.stderr).toBe(`migration-lint: --base: the merge-base of 'origin/main' and HEAD is missing; ${fix}\n`);
    const byDefault = await runCli(clone, []);
    expect(byDefault.status).toBe(2);
    expect(byDefault.stderr).toBe(`migration-lint: the baseline (merge-base of origin/main and HEAD) is missing; ${fix}; or pass --base\n`);

    git(clone, 'fetch', '-q', '--deepen=5');
    const run = await runCli(clone, ['--base', 'origin/main']);
    expect(run.stderr).toBe('');
    expect(edited(run)).toEqual([
      { rule: 'applied-migration-edited', severity: 'error', file: POWER_FILE, line: 22, column: 5, endLine: 22, endColumn: 5 + SEMANTIC_POWER.length },
    ]);
  });
});
