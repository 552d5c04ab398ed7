/**
 * The one module that reads the work tree. Everything above it works on paths and bytes it is given,
 * so that git-backed sources (the index, a baseline commit) can stand in for the disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FileStamp } from '../model/source.js';

/**
 * A path in a versions folder that is no readable regular file inside the repository: Alembic would fail on
 * it (or block, for a FIFO), so the engine reports it as that file's finding instead of skipping it.
 */
export class UnreadableFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableFileError';
  }
}

/**
 * Folders' work-tree roots and real paths, remembered for one synchronous stretch of reads only (a lint pass
 * reads thousands of files from a few folders) and forgotten on the next microtask: tests and long-lived
 * callers create and remove repositories under the same process.
 */
let folders: Map<string, { root: string | null; real: string | null }> | null = null;

function folderInfo(dir: string): { root: string | null; real: string | null } {
  if (!folders) {
    folders = new Map();
    queueMicrotask(() => {
      folders = null;
    });
  }
  let info = folders.get(dir);
  if (!info) {
    let real: string | null = null;
    try {
      real = fs.realpathSync(dir);
    } catch {
      // Unresolvable: every file of it takes the slow path.
    }
    info = { root: workTreeRoot(dir), real };
    folders.set(dir, info);
  }
  return info;
}

/** The git work tree `dir` lies in (nearest folder holding `.git`), by its real path; null outside any. */
function workTreeRoot(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) {
      try {
        return fs.realpathSync(d);
      } catch {
        return null;
      }
    }
    if (path.dirname(d) === d) return null;
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

function linkTarget(file: string): string {
  try {
    return JSON.stringify(fs.readlinkSync(file));
  } catch {
    return 'a path';
  }
}

/**
 * Refuses, before opening anything, what is no regular file (opening a FIFO blocks until a writer comes) and
 * a file whose real path leaves the work tree it is named in: a pull request's symlink to `~/.ssh/…` or
 * `/etc/…` is not followed, so nothing outside the repository reaches a report. Outside any work tree,
 * links are followed as Alembic follows them.
 */
function checkReadable(file: string): void {
  // The common case, a regular file that is no link: one lstat, and the folder's real path says where it is.
  const abs = path.resolve(file);
  const own = lstatOrNull(abs);
  if (own?.isFile()) {
    const { root, real } = folderInfo(path.dirname(abs));
    if (root === null) return;
    if (real !== null) {
      const full = real + path.sep + path.basename(abs);
      if (full === root || full.startsWith(root + path.sep)) return;
    }
  }
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnreadableFileError(file, 'a symbolic link loop');
    if (code === 'ENOENT' && isSymlink(file)) throw new UnreadableFileError(file, `a symbolic link to ${linkTarget(file)}, which does not exist`);
    throw new UnreadableFileError(file, `not readable: ${code ?? (err as Error).message}`);
  }
  if (st.isDirectory()) throw new UnreadableFileError(file, 'a directory, not a file');
  if (!st.isFile()) throw new UnreadableFileError(file, `${kindOf(st)}, not a regular file`);
  const root = workTreeRoot(path.dirname(path.resolve(file)));
  if (root === null) return;
  const real = fs.realpathSync(file);
  if (real !== root && !real.startsWith(root + path.sep)) {
    const what = isSymlink(file) ? `a symbolic link to ${linkTarget(file)}` : `reached through a symbolic link (${JSON.stringify(real)})`;
    throw new UnreadableFileError(file, `${what}, outside the repository: not followed`);
  }
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A migration's bytes; throws UnreadableFileError for anything the engine must report rather than read. */
export function readBytes(file: string): Uint8Array {
  checkReadable(file);
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UnreadableFileError(file, code === 'EACCES' || code === 'EPERM' ? 'not readable: permission denied' : `not readable: ${code ?? (err as Error).message}`);
  }
}

/** A project file's text (config, template, env.py), or null when it is absent or not readable as above. */
export function readText(file: string): string | null {
  try {
    checkReadable(file);
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

/**
 * What changes whenever a file's bytes do (git's index keeps the same), without reading it: the cache's check
 * that a file it hashed is unchanged. Of the path itself (lstat), so a file replaced by a link stamps anew; null
 * for anything but a regular file.
 */
export function fileStamp(file: string): FileStamp | null {
  try {
    const st = fs.lstatSync(file);
    return st.isFile() ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino } : null;
  } catch {
    return null;
  }
}

export function writeBytes(file: string, data: Uint8Array | string): void {
  fs.writeFileSync(file, data);
}

export function statKind(p: string): 'file' | 'dir' | 'other' | null {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return null;
  }
}

/**
 * Every file Alembic would load as a revision from `dir`: `*.py` but `__init__*` and editor lock files
 * (`.#name.py`); with `recursive`, every subfolder as os.walk finds it (symlinked folders not followed,
 * `__pycache__` skipped), as `recursive_version_locations` does.
 */
export function listPythonFiles(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  const visit = (d: string, depth: number) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    // path.join(d, name) for every entry normalises d again each time; d with a trailing separator is the same.
    const prefix = path.join(d, path.sep);
    for (const e of entries) {
      const full = prefix + e.name;
      if (e.isDirectory() && recursive) {
        if (depth < 32 && e.name !== '__pycache__') visit(full, depth + 1);
        continue;
      }
      // os.walk lists a link to a folder among the folders, and does not follow it.
      if (recursive && e.isSymbolicLink() && statKind(full) === 'dir') continue;
      // Whatever else Alembic would try to import (a folder `x.py`, a FIFO, a dangling link) is listed too:
      // the engine reports it as unreadable (io/files readBytes), and never opens a FIFO.
      if (e.name.endsWith('.py') && !e.name.startsWith('__init__') && !e.name.startsWith('.#')) out.push(full);
    }
  };
  visit(dir, 0);
  return out.sort();
}

const SKIP_DIRS = new Set(['node_modules', '.venv', 'venv', '.git', '__pycache__', '.tox', '.mypy_cache', 'site-packages', 'dist', 'build']);

/** Directories below `root` (breadth-first, bounded), for finding Alembic environments in a repo. */
export function* walkDirs(root: string, maxDepth = 6): Generator<string> {
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const d of level) {
      yield d;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) next.push(path.join(d, e.name));
      }
    }
    level = next.sort();
  }
}
