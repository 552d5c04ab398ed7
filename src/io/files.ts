/**
 * The one module that reads the work tree. Everything above it works on paths and bytes it is given,
 * so that git-backed sources (the index, a baseline commit) can stand in for the disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export function readBytes(file: string): Uint8Array {
  return fs.readFileSync(file);
}

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
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
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive && depth < 32 && e.name !== '__pycache__') visit(full, depth + 1);
        continue;
      }
      // Only regular files (or links to one): reading a FIFO or socket named *.py would block or fail.
      if (!(e.isFile() || (e.isSymbolicLink() && statKind(full) === 'file'))) continue;
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
