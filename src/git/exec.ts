/**
 * The one module that runs git. Argument arrays only (no shell), NUL-separated output (`-z`), `--` before
 * every path, and `--literal-pathspecs` so that a folder named `*` or `:(top)` means itself. Blob contents
 * come through one `git cat-file --batch` per request, never a process per file: `gitStats` counts the
 * processes so that a test can hold us to it.
 *
 * Calls are synchronous because the SourceProvider seam is: a linter run is one short, sequential process,
 * and the cost that matters is the number of processes, not blocking the event loop.
 */
import { spawnSync } from 'node:child_process';
import { environmentError } from '../errors.js';

/** Processes spawned, and the wall time spent waiting for them, since start (or the last reset): for tests and measurements. */
export const gitStats = { processes: 0, ms: 0 };

export interface GitResult {
  status: number;
  stdout: Buffer;
  /** Git's own message, first line, for errors that are its to explain (dubious ownership, corrupt repo). */
  stderr: string;
}

export class GitMissingError extends Error {}

/** Runs git and returns whatever it exited with; throws only when git cannot be started at all. */
export function tryGit(cwd: string, args: string[], input?: string | Buffer): GitResult {
  gitStats.processes++;
  const started = performance.now();
  const r = spawnSync('git', ['--literal-pathspecs', '--no-pager', ...args], {
    cwd,
    input,
    maxBuffer: Infinity,
    windowsHide: true,
    // Git's messages in English, so that "not a git repository" can be recognised whatever the user's locale.
    env: { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
  gitStats.ms += performance.now() - started;
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new GitMissingError('git is not installed or not on PATH');
    throw environmentError(`could not run git: ${r.error.message}`);
  }
  return { status: r.status ?? 128, stdout: r.stdout, stderr: firstLine(r.stderr.toString('utf8')) };
}

/** Runs git and returns its output; a failure is an environment error carrying git's message. */
export function git(cwd: string, args: string[], input?: string | Buffer): Buffer {
  const r = tryGit(cwd, args, input);
  if (r.status !== 0) throw environmentError(`git ${args[0]} failed: ${r.stderr || `exit code ${r.status}`}`);
  return r.stdout;
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0)
      ?.replace(/^(fatal|error):\s*/, '') ?? ''
  );
}

/** `a\0b\0` → ['a', 'b']. Paths are UTF-8, as Node's own file APIs assume. */
export function splitZ(out: Buffer): string[] {
  const parts = out.toString('utf8').split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export type ChangeStatus = 'A' | 'C' | 'D' | 'M' | 'R' | 'T' | 'U' | 'X';

export interface Change {
  status: ChangeStatus;
  /** Rename/copy similarity, 0–100; 100 for other statuses. */
  score: number;
  /** Paths relative to the repository root, `/` separators. */
  oldPath: string;
  newPath: string;
  oldId: string;
  newId: string;
}

/**
 * `git diff --raw -z` output: `:<mode> <mode> <oid> <oid> <status>\0<path>\0[<path>\0]`. The raw form is
 * name-status plus the blob ids, so old contents can be fetched by id without ever writing a path to stdin.
 */
export function parseRawDiff(out: Buffer): Change[] {
  const tokens = splitZ(out);
  const changes: Change[] = [];
  for (let i = 0; i < tokens.length; ) {
    const meta = tokens[i++]!;
    if (!meta.startsWith(':')) continue;
    const fields = meta.slice(1).split(' ');
    const statusField = fields[4] ?? '';
    const status = statusField[0] as ChangeStatus;
    const score = statusField.length > 1 ? Number(statusField.slice(1)) : 100;
    const first = tokens[i++]!;
    const second = status === 'R' || status === 'C' ? tokens[i++]! : first;
    changes.push({ status, score, oldPath: first, newPath: second, oldId: fields[2] ?? '', newId: fields[3] ?? '' });
  }
  return changes;
}

export interface IndexEntry {
  mode: string;
  oid: string;
  stage: number;
  path: string;
}

/** `git ls-files -s -z` output: `<mode> <oid> <stage>\t<path>\0`. */
export function parseLsFilesStage(out: Buffer): IndexEntry[] {
  return splitZ(out).flatMap((rec) => {
    const tab = rec.indexOf('\t');
    if (tab < 0) return [];
    const [mode, oid, stage] = rec.slice(0, tab).split(' ');
    return [{ mode: mode!, oid: oid!, stage: Number(stage), path: rec.slice(tab + 1) }];
  });
}

/**
 * Contents of many objects through one `git cat-file --batch`. Input lines are object ids (or `<rev>:<path>`
 * expressions without newlines); missing objects map to null.
 */
export function catFileBatch(cwd: string, objects: string[]): Map<string, Buffer | null> {
  const result = new Map<string, Buffer | null>();
  const wanted = [...new Set(objects)].filter((o) => !o.includes('\n'));
  if (!wanted.length) return result;
  const out = git(cwd, ['cat-file', '--batch', '--buffer'], wanted.join('\n') + '\n');
  let pos = 0;
  for (const name of wanted) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) break;
    const header = out.toString('utf8', pos, nl);
    pos = nl + 1;
    // `<oid> <type> <size>` or `<name> missing` / `<name> ambiguous`.
    const m = /^(\S+) (\S+) (\d+)$/.exec(header);
    if (!m) {
      result.set(name, null);
      continue;
    }
    const size = Number(m[3]);
    result.set(name, m[2] === 'blob' ? out.subarray(pos, pos + size) : null);
    pos += size + 1;
  }
  return result;
}
