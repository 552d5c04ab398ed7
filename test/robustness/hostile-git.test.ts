/**
 * Hostile repositories, through the built CLI as a hook or CI runs it (`node lib/cli.js --staged|--base`):
 * odd file names, a submodule, a detached HEAD, an unborn branch, a shallow clone, a missing ref, and a
 * history of 100,000 commits that must cost what a short one costs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneLine, git, gitInput, HERO, HERO_FILE, migration, POWER, POWER_FILE, project, tmpDir, VERSIONS, write, type CliRun } from './helpers.js';

const DROP = "op.drop_column('hero', 'power')";

/** A migration after POWER that drops a column: one destructive-operation error at 22:5. */
function dropping(rev: string, down = POWER.rev) {
  return migration({ rev, down, message: `drop hero power ${rev}`, upgrade: [DROP] });
}

const destructive = (r: CliRun) =>
  (r.json?.diagnostics ?? []).filter((d) => d.rule === 'destructive-operation').map((d) => ({ file: d.file, line: d.line, column: d.column }));

/** A repository on `main` with the applied revisions (hero, power) committed, and a `feature` branch checked out. */
function repo(label: string): string {
  const root = project(tmpDir(label), { [HERO_FILE]: migration(HERO), [POWER_FILE]: migration(POWER) });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'applied revisions');
  git(root, 'checkout', '-q', '-b', 'feature');
  return root;
}

const lintArgs = (...args: string[]) => ['--format', 'json', '--no-cache', ...args];

describe('file names', () => {
  const names = ['with space.py', `quote's "double".py`, 'ünïcødé_ß.py', 'new\nline.py', '-leading-dash.py', '--format=sarif.py', ':(top)magic.py', '*.py'];

  it('newlines, quotes, unicode, a leading dash, pathspec magic: each is linted under its own name, staged and committed', () => {
    const root = repo('names');
    const revs = names.map((_, i) => `d${i}e5f6a7b8c9`);
    // A chain, so that no graph rule fires: each drops the column, one destructive finding each.
    names.forEach((name, i) => write(root, `${VERSIONS}/${name}`, dropping(revs[i]!, i ? revs[i - 1] : POWER.rev)));
    git(root, 'add', '-A');
    const expected = names.map((n) => ({ file: `${VERSIONS}/${n}`, line: 22, column: 5 })).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

    const staged = cli(root, lintArgs('--staged'));
    expect(staged.stderr).toBe('');
    expect(staged.status).toBe(1);
    expect(destructive(staged)).toEqual(expected);
    expect(staged.json!.summary.files).toBe(names.length);

    git(root, 'commit', '-q', '-m', 'odd names');
    const base = cli(root, lintArgs('--base', 'main'));
    expect(base.stderr).toBe('');
    expect(destructive(base)).toEqual(expected);

    // The github format keeps each name inside its annotation's properties.
    const gh = cli(root, ['--format', 'github', '--no-cache', '--base', 'main']);
    const lines = gh.stdout.split('\n').filter((l) => l.startsWith('::error title=destructive-operation,'));
    expect(lines).toHaveLength(names.length);
    expect(lines.every((l) => /^::error title=destructive-operation,file=[^:,]+,line=22,endLine=22,col=5,endColumn=\d+::/.test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringContaining(`file=${VERSIONS}/new%0Aline.py,`));
    expect(lines).toContainEqual(expect.stringContaining(`file=${VERSIONS}/%3A(top)magic.py,`));
  });
});

describe('repository shapes', () => {
  it('a submodule is neither linted nor an error, from the superproject; inside it, its own migrations are', () => {
    const sub = repo('sub');
    write(sub, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(sub, 'add', '-A');
    git(sub, 'commit', '-q', '-m', 'drop in the submodule');
    const root = repo('super');
    git(root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub');
    // And one inside the versions folder itself, where Alembic would find a folder named like a module.
    git(root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, `${VERSIONS}/vendored.py`);
    write(root, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(root, 'add', '-A');

    const staged = cli(root, lintArgs('--staged'));
    expect(staged.stderr).toBe('');
    expect(destructive(staged)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    git(root, 'commit', '-q', '-m', 'add submodules and a drop');
    const base = cli(root, lintArgs('--base', 'main'));
    expect(base.stderr).toBe('');
    expect(destructive(base)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    // The work tree sees the gitlink as a folder named vendored.py: Alembic would fail on it, so it is reported.
    const all = cli(root, lintArgs());
    expect(all.json!.diagnostics.filter((d) => d.rule === 'parse-error').map((d) => [d.file, d.message])).toEqual([[`${VERSIONS}/vendored.py`, 'File is a directory, not a file']]);

    const inside = cli(path.join(root, 'vendor/sub'), lintArgs('--base', 'origin/main'));
    expect(inside.stderr).toBe('');
    expect(destructive(inside)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
  });

  it('a detached HEAD: --staged and --base work as on a branch', () => {
    const root = repo('detached');
    write(root, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'drop');
    git(root, 'checkout', '-q', '--detach', 'HEAD');
    const base = cli(root, lintArgs('--base', 'main'));
    expect(base.stderr).toBe('');
    expect(destructive(base)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    write(root, `${VERSIONS}/d4e5f6a7b8c9_drop.py`, dropping('d4e5f6a7b8c9', 'c3d4e5f6a7b8'));
    git(root, 'add', '-A');
    const staged = cli(root, lintArgs('--staged'));
    expect(destructive(staged)).toEqual([{ file: `${VERSIONS}/d4e5f6a7b8c9_drop.py`, line: 22, column: 5 }]);
  });

  it('an unborn branch (no commit yet, files staged): --staged lints them; --base says there is nothing to compare', () => {
    const root = project(tmpDir('unborn'), { [HERO_FILE]: migration(HERO), [POWER_FILE]: migration(POWER) });
    git(root, 'init', '-q', '-b', 'main');
    write(root, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(root, 'add', '-A');
    const staged = cli(root, lintArgs('--staged'));
    expect(staged.stderr).toBe('');
    expect(staged.json!.summary.files).toBe(3);
    expect(destructive(staged)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    const base = cli(root, lintArgs('--base', 'main'));
    expect(base.status).toBe(2);
    expect(expectOneLine(base.stderr)).toBe('migration-lint: --base compares with HEAD, but this repository has no commit yet (unborn branch)');
  });

  it('a shallow clone: --staged works; a base beyond the clone is exit 2 with the fix', () => {
    const upstream = repo('shallow-up');
    git(upstream, 'checkout', '-q', 'main');
    for (let i = 0; i < 3; i++) {
      write(upstream, 'README.md', `change ${i}\n`);
      git(upstream, 'add', '-A');
      git(upstream, 'commit', '-q', '-m', `readme ${i}`);
    }
    const old = git(upstream, 'rev-parse', 'HEAD~3').trim();
    const clone = tmpDir('shallow');
    git(clone, 'clone', '-q', '--depth', '1', `file://${upstream}`, '.');
    write(clone, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(clone, 'add', '-A');
    const staged = cli(clone, lintArgs('--staged'));
    expect(staged.stderr).toBe('');
    expect(destructive(staged)).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    const base = cli(clone, lintArgs('--base', old));
    expect(base.status).toBe(2);
    expect(expectOneLine(base.stderr)).toMatch(/^migration-lint: --base: .*shallow clone.*`fetch-depth: 0`.*git fetch --deepen/);
  });

  it('a missing ref is exit 2 in one line; so is a ref that looks like an option', () => {
    const root = repo('missing');
    for (const [ref, want] of [
      ['no-such-branch', "migration-lint: --base: unknown git ref 'no-such-branch' (fetch it first, e.g. `git fetch origin`)"],
      ['--output=/tmp/x', "migration-lint: --base: '--output=/tmp/x' is not a git ref"],
    ] as const) {
      const r = cli(root, lintArgs(`--base=${ref}`));
      expect([r.status, expectOneLine(r.stderr), r.stdout]).toEqual([2, want, '']);
    }
  });
});

describe('history length', () => {
  /** A git that counts its own starts: the CLI runs in its own process, so the count has to come from outside. */
  function countingGit(): { dir: string; log: string } {
    const dir = tmpDir('gitshim');
    const log = path.join(dir, 'calls.log');
    const real = ['/usr/bin/git', '/usr/local/bin/git', '/bin/git'].find((p) => fs.existsSync(p)) ?? 'git';
    write(dir, 'git', `#!/bin/sh\necho "$1 $2" >> "${log}"\nexec ${real} "$@"\n`);
    fs.chmodSync(path.join(dir, 'git'), 0o755);
    return { dir, log };
  }

  /** `n` commits on main (one fast-import: seconds, not minutes), then a feature branch that adds a drop. */
  function history(n: number): string {
    const root = repo(`history${n}`);
    let stream = '';
    for (let i = 0; i < n; i++) {
      const note = `note ${i}\n`;
      const from = i === 0 ? 'from refs/heads/main^0\n' : '';
      stream += `commit refs/heads/main\ncommitter Tester <tester@example.com> ${1_700_000_000 + i} +0000\ndata 5\nnote\n${from}M 100644 inline notes.txt\ndata ${note.length}\n${note}\n`;
    }
    gitInput(root, stream, 'fast-import', '--quiet');
    git(root, 'checkout', '-q', '-B', 'feature', 'main');
    write(root, `${VERSIONS}/c3d4e5f6a7b8_drop.py`, dropping('c3d4e5f6a7b8'));
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'drop');
    return root;
  }

  it('100,000 commits cost what 10 cost: the same git processes, and no time that grows with history', { timeout: 300_000 }, () => {
    const shim = countingGit();
    const env = { PATH: `${shim.dir}${path.delimiter}${process.env.PATH}` };
    const measure = (root: string) =>
      (['--base', '--staged'] as const).map((mode) => {
        fs.writeFileSync(shim.log, '');
        const args = mode === '--base' ? lintArgs('--base', 'main') : lintArgs('--staged');
        const r = cli(root, args, { env, timeout: 120_000 });
        expect(r.stderr).toBe('');
        return { mode, ms: r.ms, calls: fs.readFileSync(shim.log, 'utf8').split('\n').filter(Boolean), found: destructive(r) };
      });
    const short = history(10);
    const long = history(100_000);
    expect(Number(git(long, 'rev-list', '--count', 'HEAD').trim())).toBe(100_002);
    // Warm the long one (page cache of its pack) before timing.
    measure(long);
    const a = measure(short);
    const b = measure(long);
    expect(b[0]!.found).toEqual([{ file: `${VERSIONS}/c3d4e5f6a7b8_drop.py`, line: 22, column: 5 }]);
    expect(b.map((m) => m.calls)).toEqual(a.map((m) => m.calls));
    for (let i = 0; i < a.length; i++) expect(b[i]!.ms).toBeLessThan(a[i]!.ms * 4 + 2_000);
  });
});
