/**
 * How a run relates to git: which source the files come from (work tree, index), which files are
 * reported on, and the applied baseline for history rules. Without git flags and outside a repository,
 * this is the plain work tree with every migration reported.
 *
 * Every git call goes through ./exec.ts, and the number of calls does not depend on the number of files:
 * one diff for the changes, one ls-tree for what is applied, one cat-file --batch per set of blobs.
 */
import path from 'node:path';
import type { Discovery } from '../discover/environments.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import { workTree } from '../io/source.js';
import type { SourceProvider } from '../model/source.js';
import { environmentError, usageError } from '../errors.js';
import { loadMigration } from '../facts/migration.js';
import type { History, HistoryEntry } from '../model/migration.js';
import { catFileBatch, git, GitMissingError, parseLsFilesStage, parseRawDiff, splitZ, tryGit, type Change } from './exec.js';

export interface GitModeOptions {
  cwd: string;
  staged: boolean;
  base: string | null;
  all: boolean;
  configBaseline: string | null;
}

export interface GitMode {
  source: SourceProvider;
  discover(run: (cwd: string) => Discovery, cwd: string): Discovery;
  /** Absolute paths to report on, or null for every migration. */
  targets(envs: DiscoveredEnvironment[]): Set<string> | null;
  /** Python files the change touches anywhere in the repository (models, env.py), or null outside --staged/--base. */
  changedPython?(): Set<string> | null;
  history(envs: DiscoveredEnvironment[]): History | null;
}

export const plainMode: GitMode = {
  source: workTree,
  discover: (run, cwd) => run(cwd),
  targets: () => null,
  history: () => null,
};

/** The applied baseline: a commit, and the ref it was derived from (for messages). */
export interface Baseline {
  commit: string;
  /** `HEAD`, `origin/main`, or the ref given to --base / config `baseline`. */
  ref: string;
}

export async function prepareGitMode(opts: GitModeOptions): Promise<GitMode> {
  const flag = opts.staged ? '--staged' : opts.base !== null ? '--base' : null;
  const opened = openRepo(opts.cwd, flag);
  if (!opened) return plainMode;
  const { repo, head } = opened;

  if (opts.base !== null) {
    if (!head) throw environmentError(`--base compares with HEAD, but this repository has no commit yet (unborn branch)`);
    const baseline = explicitBaseline(repo, head, opts.base, '--base');
    let cached: Change[] | null = null;
    let changed: Set<string> | undefined;
    // One diff serves both the targets and the history: what changed since the baseline, in the work tree.
    const changes = (envs: DiscoveredEnvironment[]) => (cached ??= repo.diff(envs, baseline.commit, 'worktree'));
    return {
      source: workTree,
      discover: (run, cwd) => run(cwd),
      targets: (envs) => {
        const out = new Set<string>();
        for (const c of changes(envs)) if (c.status !== 'D') out.add(repo.toAbs(c.newPath));
        for (const p of repo.untracked(envs)) out.add(repo.toAbs(p));
        return out;
      },
      history: (envs) => repo.history(envs, baseline, changes(envs)),
      // Asked once per environment by the model rules: one git process per run.
      changedPython: () => (changed ??= repo.changedPython(baseline.commit, 'worktree')),
    };
  }

  const baseline = opts.configBaseline !== null ? (head ? explicitBaseline(repo, head, opts.configBaseline, 'config baseline') : null) : defaultBaseline(repo, head);

  if (opts.staged) {
    const index = new IndexSource(repo);
    let staged: Change[] | null = null;
    let changed: Set<string> | undefined;
    // Targets are what this commit changes (index vs HEAD); history compares the index with the baseline.
    const stagedChanges = (envs: DiscoveredEnvironment[]) => (staged ??= repo.diff(envs, head, 'index'));
    return {
      source: index,
      discover: (run, cwd) => {
        const found = run(cwd);
        index.prefetch(found.environments);
        return found;
      },
      targets: (envs) => new Set(stagedChanges(envs).filter((c) => c.status !== 'D').map((c) => repo.toAbs(c.newPath))),
      history: (envs) => {
        if (!baseline) return null;
        const changes = baseline.commit === head ? stagedChanges(envs) : repo.diff(envs, baseline.commit, 'index');
        return repo.history(envs, baseline, changes);
      },
      changedPython: () => (changed ??= repo.changedPython(head, 'index')),
    };
  }

  return {
    source: workTree,
    discover: (run, cwd) => run(cwd),
    targets: () => null,
    history: (envs) => (baseline ? repo.history(envs, baseline, repo.diff(envs, baseline.commit, 'worktree')) : null),
  };
}

/** The repository and its HEAD commit (null on an unborn branch), from one git process: every run pays for it. */
function openRepo(cwd: string, flag: string | null): { repo: Repo; head: string | null } | null {
  let r;
  try {
    r = tryGit(cwd, ['rev-parse', '--show-toplevel', '--show-prefix', '--is-shallow-repository', '--verify', '--quiet', 'HEAD^{commit}']);
  } catch (err) {
    if (!(err instanceof GitMissingError)) throw err;
    if (flag) throw environmentError(`${flag} needs git, which is not installed or not on PATH`);
    return null;
  }
  const lines = r.stdout.toString('utf8').replace(/\n$/, '').split('\n');
  // On an unborn branch `--verify --quiet HEAD^{commit}` alone fails (exit 1, no fourth line); the rest is printed.
  const unborn = r.status === 1 && lines.length === 3 && lines[0] !== '';
  if (r.status !== 0 && !unborn) {
    if (!flag) return null;
    if (/not a git repository/i.test(r.stderr)) {
      throw environmentError(`${flag} needs a git repository, and ${cwd} is not inside one (run it from the repository, or lint without ${flag})`);
    }
    throw environmentError(`${flag}: git cannot read this repository: ${r.stderr}`);
  }
  const [top, prefix, shallow, head] = lines;
  return { repo: new Repo(cwd, top!, prefix ?? '', shallow === 'true'), head: unborn ? null : (head ?? null) };
}

const SHALLOW_FIX =
  'this is a shallow clone that lacks the history needed: fetch it with `fetch-depth: 0` in actions/checkout, or run `git fetch --deepen=100` (or `git fetch --unshallow`)';

/** `--base REF` or config `baseline`: merge-base(REF, HEAD); every failure is the user's to fix, so it is an error. */
function explicitBaseline(repo: Repo, head: string, ref: string, flag: string): Baseline {
  // Refs cannot start with '-'; refusing here keeps a value like `--output` from ever reaching git as an option.
  if (ref.startsWith('-') || ref.trim() === '' || /[\0\n]/.test(ref)) throw usageError(`${flag}: '${ref}' is not a git ref`);
  const commit = repo.resolveCommit(ref);
  if (!commit) {
    throw environmentError(`${flag}: unknown git ref '${ref}'` + (repo.shallow ? `; ${SHALLOW_FIX}` : ' (fetch it first, e.g. `git fetch origin`)'));
  }
  const mb = repo.mergeBase(commit, head);
  if (!mb) {
    if (repo.shallow) throw environmentError(`${flag}: the merge-base of '${ref}' and HEAD is missing; ${SHALLOW_FIX}`);
    throw environmentError(`${flag}: '${ref}' and HEAD have no common ancestor`);
  }
  return { commit: mb, ref };
}

/** The merge-base of HEAD with the remote's default branch, else HEAD itself; null on an unborn branch. */
function defaultBaseline(repo: Repo, head: string | null): Baseline | null {
  if (!head) return null;
  const out = git(repo.top, [
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(symref)',
    'refs/remotes/origin/HEAD',
    'refs/remotes/origin/main',
    'refs/remotes/origin/master',
  ]);
  const refs = new Map<string, { commit: string; symref: string }>();
  for (const line of out.toString('utf8').split('\n')) {
    const [name, commit, symref] = line.split('\0');
    if (name && commit) refs.set(name, { commit, symref: symref ?? '' });
  }
  for (const name of ['refs/remotes/origin/HEAD', 'refs/remotes/origin/main', 'refs/remotes/origin/master']) {
    const ref = refs.get(name);
    if (!ref) continue;
    const label = (ref.symref || name).replace(/^refs\/remotes\//, '');
    const mb = repo.mergeBase(ref.commit, head);
    if (mb) return { commit: mb, ref: label };
    if (repo.shallow) throw environmentError(`the baseline (merge-base of ${label} and HEAD) is missing; ${SHALLOW_FIX}; or pass --base`);
    // Unrelated histories: this remote branch says nothing about what is applied here.
  }
  return { commit: head, ref: 'HEAD' };
}

/** A repository seen from the working directory the engine uses; paths in git are relative to `top`. */
class Repo {
  constructor(
    readonly cwd: string,
    readonly top: string,
    /** The working directory relative to the top, `sub/dir/` or ''. */
    readonly prefix: string,
    readonly shallow: boolean,
  ) {}

  /** The working directory is absolute and normalised, so that joining a path below it is resolving it. */
  private plainCwd: boolean | null = null;

  /** toGit of each version folder, asked for every one of thousands of paths. */
  private readonly gitDirs = new Map<string, string | null>();

  private gitDir(dir: string): string | null {
    let d = this.gitDirs.get(dir);
    if (d === undefined) {
      d = this.toGit(dir);
      this.gitDirs.set(dir, d);
    }
    return d;
  }

  resolveCommit(ref: string): string | null {
    const r = tryGit(this.top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return r.status === 0 ? r.stdout.toString('utf8').trim() : null;
  }

  mergeBase(a: string, b: string): string | null {
    const r = tryGit(this.top, ['merge-base', a, b]);
    return r.status === 0 ? r.stdout.toString('utf8').trim() || null : null;
  }

  /**
   * Git paths map to the engine's absolute paths through the working directory, not through `top`, so that a
   * working directory reached through a symlink gives the same paths discovery gave.
   */
  toAbs(gitPath: string): string {
    // Below the working directory (the usual case) a join does what resolve does: git's paths are normalised.
    this.plainCwd ??= path.isAbsolute(this.cwd) && !this.cwd.endsWith(path.sep) && path.normalize(this.cwd) === this.cwd;
    if (this.plainCwd && gitPath.startsWith(this.prefix) && gitPath.length > this.prefix.length) {
      const rel = gitPath.slice(this.prefix.length);
      return this.cwd + path.sep + (path.sep === '/' ? rel : rel.split('/').join(path.sep));
    }
    return path.resolve(this.cwd, path.posix.relative(this.prefix.replace(/\/$/, ''), gitPath));
  }

  toGit(abs: string): string | null {
    const rel = path.relative(this.cwd, abs).split(path.sep).join('/');
    const p = path.posix.normalize(this.prefix + rel);
    if (p === '..' || p.startsWith('../') || path.isAbsolute(rel)) return null;
    return p === '.' ? '' : p.replace(/\/$/, '');
  }

  rel(gitPath: string): string {
    // Below the working directory (the usual case) no path arithmetic is needed: git's paths are normalised.
    if (gitPath.startsWith(this.prefix)) return gitPath.slice(this.prefix.length);
    return path.relative(this.cwd, this.toAbs(gitPath)).split(path.sep).join('/');
  }

  /** Version folders as git pathspecs (relative to the top); folders outside the repository are left out. */
  pathspecs(envs: DiscoveredEnvironment[]): string[] {
    const specs = new Set<string>();
    for (const env of envs) {
      for (const dir of env.versionDirs) {
        const p = this.toGit(dir);
        if (p !== null) specs.add(p === '' ? '.' : p);
      }
    }
    return [...specs];
  }

  /** Whether a repository path is a migration Alembic would load from one of the environments. */
  isMigration(envs: DiscoveredEnvironment[], gitPath: string): boolean {
    // Asked for every path of the index or a tree (tens of thousands): no allocation on the common paths.
    if (!gitPath.endsWith('.py') || gitPath === '__init__.py' || gitPath.endsWith('/__init__.py')) return false;
    for (const env of envs) {
      for (const dir of env.versionDirs) {
        const d = this.gitDir(dir);
        if (d === null) continue;
        const below = d === '' || (gitPath.length > d.length && gitPath.charCodeAt(d.length) === 47 && gitPath.startsWith(d));
        if (!below) continue;
        const inner = d === '' ? gitPath : gitPath.slice(d.length + 1);
        if (!inner.includes('/')) return true;
        const folders = inner.split('/').slice(0, -1);
        if (env.recursive && folders.every((f) => !f.startsWith('.') && f !== '__pycache__')) return true;
      }
    }
    return false;
  }

  /**
   * Changes to migrations between `commit` and the work tree or the index (`commit` null: the index against
   * the empty tree, on an unborn branch). One `git diff --raw -z -M`, restricted to the version folders.
   */
  diff(envs: DiscoveredEnvironment[], commit: string | null, side: 'worktree' | 'index'): Change[] {
    const specs = this.pathspecs(envs);
    if (!specs.length) return [];
    const args = ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-color', '--no-ext-diff', '--no-relative', '--ignore-submodules'];
    if (side === 'index') args.push('--cached');
    if (commit) args.push(commit);
    const changes = parseRawDiff(git(this.top, [...args, '--', ...specs]));
    return changes.flatMap((c): Change[] => {
      const oldIs = this.isMigration(envs, c.oldPath);
      const newIs = this.isMigration(envs, c.newPath);
      if (c.status === 'R' && oldIs && !newIs) return [{ ...c, status: 'D', newPath: c.oldPath }];
      if ((c.status === 'R' || c.status === 'C') && !oldIs && newIs) return [{ ...c, status: 'A', oldPath: c.newPath }];
      return oldIs || newIs ? [c] : [];
    });
  }

  /**
   * Python files changed since `commit` (or, with no commit yet, every one staged), untracked ones included on
   * the work-tree side: the model rules judge a change only when it touches models, env.py or migrations.
   */
  changedPython(commit: string | null, side: 'worktree' | 'index'): Set<string> {
    const args = ['diff', '--name-only', '-z', '--no-renames', '--no-color', '--no-ext-diff', '--no-relative', '--ignore-submodules'];
    if (side === 'index') args.push('--cached');
    if (commit) args.push(commit);
    // Pathspecs are literal (exec.ts): '*.py' would name a file called that, so the suffix is matched here.
    const names = splitZ(git(this.top, args));
    if (side === 'worktree') names.push(...splitZ(git(this.top, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name'])));
    return new Set(names.filter((p) => p.endsWith('.py')).map((p) => this.toAbs(p)));
  }

  /** Migrations in the work tree that git does not track yet (new files are changes too). */
  untracked(envs: DiscoveredEnvironment[]): string[] {
    const specs = this.pathspecs(envs);
    if (!specs.length) return [];
    const out = git(this.top, ['ls-files', '-z', '--others', '--exclude-standard', '--full-name', '--', ...specs]);
    return splitZ(out).filter((p) => this.isMigration(envs, p));
  }

  history(envs: DiscoveredEnvironment[], baseline: Baseline, changes: Change[]): History {
    const specs = this.pathspecs(envs);
    const appliedGit = specs.length
      ? splitZ(git(this.top, ['ls-tree', '-r', '-z', '--name-only', '--full-tree', baseline.commit, '--', ...specs])).filter((p) => this.isMigration(envs, p))
      : [];
    const applied = new Set(appliedGit);
    const edits = changes.filter((c) => applied.has(c.oldPath) && (c.status === 'M' || c.status === 'T' || c.status === 'D' || c.status === 'R'));
    const blobs = catFileBatch(
      this.top,
      edits.map((c) => c.oldId),
    );
    const entries: HistoryEntry[] = edits.map((c) => {
      const bytes = blobs.get(c.oldId) ?? null;
      const old = bytes ? loadMigration(this.rel(c.oldPath), bytes).file : null;
      const renamed = c.status === 'R' && c.oldPath !== c.newPath;
      return {
        status: c.status === 'D' ? 'deleted' : renamed ? 'renamed' : 'modified',
        oldPath: this.rel(c.oldPath),
        newPath: c.status === 'D' ? null : this.rel(c.newPath),
        // Facts the linter failed to read are none: an empty file in their place would read as every operation removed.
        oldFacts: old && !old.internalError ? old.facts : null,
        oldText: old?.text ?? '',
        baselineCommit: baseline.commit,
        baselineRef: baseline.ref,
      };
    });
    return {
      baselineCommit: baseline.commit,
      baselineRef: baseline.ref,
      entries,
      appliedPaths: new Set(appliedGit.map((p) => this.rel(p))),
    };
  }
}

/**
 * The index as git will commit it: the list and blob ids from one `git ls-files -s -z`, the contents from one
 * `git cat-file --batch` once the environments are known. The work tree is never read for a tracked path.
 */
class IndexSource implements SourceProvider {
  readonly writable = false;
  private entries: Map<string, string> | null = null;
  private readonly blobs = new Map<string, Buffer | null>();
  private readonly lists = new Map<DiscoveredEnvironment, string[]>();
  /** What prefetch() announced, loaded in one batch by the first read unless willRead() narrows it first. */
  private pending: string[] | null = null;

  constructor(private readonly repo: Repo) {}

  /** Blob ids by the absolute paths files() gave, so that key() needs no path arithmetic for them. */
  private readonly oidByAbs = new Map<string, string>();

  /** The blob id the index holds: the cache's key for the file, known without reading it. */
  key(abs: string): string | null | undefined {
    const known = this.oidByAbs.get(abs);
    if (known) return known;
    const p = this.repo.toGit(abs);
    return p === null ? undefined : (this.index().get(p) ?? null);
  }

  /**
   * The engine names what it will surely read (the targets, what its cache cannot key): those blobs are loaded
   * in one process now, and the rest of what prefetch() announced only if a file outside them is read after all
   * (a cache miss), then all together.
   */
  willRead(absPaths: string[]): void {
    this.load(absPaths);
  }

  private index(): Map<string, string> {
    if (!this.entries) {
      this.entries = new Map();
      const out = git(this.repo.top, ['ls-files', '-s', '-z', '--full-name']);
      // Stage 0 only: an unmerged path cannot be committed, and regular files only (no symlinks, submodules).
      for (const e of parseLsFilesStage(out)) if (e.stage === 0 && (e.mode === '100644' || e.mode === '100755')) this.entries.set(e.path, e.oid);
    }
    return this.entries;
  }

  files(env: DiscoveredEnvironment): string[] {
    let list = this.lists.get(env);
    if (!list) {
      list = [...this.index().keys()]
        .filter((p) => this.repo.isMigration([env], p))
        .map((p) => {
          const abs = this.repo.toAbs(p);
          this.oidByAbs.set(abs, this.index().get(p)!);
          return abs;
        })
        .sort();
      this.lists.set(env, list);
    }
    return list;
  }

  /** Every staged migration, template and env.py of the environments, to be loaded in one process when first read. */
  prefetch(envs: DiscoveredEnvironment[]): void {
    const paths = envs.flatMap((env) => {
      const scriptDirs = [env.templatePath ? path.dirname(env.templatePath) : null, env.versionDirs[0] ? path.dirname(env.versionDirs[0]) : null];
      const extras = [env.templatePath, ...scriptDirs.map((d) => (d ? path.join(d, 'env.py') : null))].filter((p): p is string => p !== null);
      return [...this.files(env), ...extras];
    });
    this.pending = paths;
  }

  private load(absPaths: string[]): void {
    const ids: string[] = [];
    for (const abs of absPaths) {
      const p = this.repo.toGit(abs);
      const oid = p === null ? undefined : this.index().get(p);
      if (oid && !this.blobs.has(oid)) ids.push(oid);
    }
    for (const [oid, bytes] of catFileBatch(this.repo.top, ids)) this.blobs.set(oid, bytes);
  }

  private blob(abs: string): Buffer | null | undefined {
    const p = this.repo.toGit(abs);
    if (p === null) return undefined;
    const oid = this.index().get(p);
    if (!oid) return null;
    if (!this.blobs.has(oid)) {
      const batch = this.pending ?? [];
      this.pending = null;
      this.load([...batch, abs]);
    }
    return this.blobs.get(oid) ?? null;
  }

  read(abs: string): Uint8Array {
    const bytes = this.blob(abs);
    if (!bytes) throw environmentError(`${path.relative(this.repo.cwd, abs)} is not staged in the git index`);
    return bytes;
  }

  readText(abs: string): string | null {
    const bytes = this.blob(abs);
    // Outside the repository there is no index: project files above it are read as they are.
    if (bytes === undefined) return workTree.readText(abs);
    return bytes === null ? null : bytes.toString('utf8').replace(/^\uFEFF/, '');
  }
}
