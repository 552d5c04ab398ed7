/**
 * The project's Python files for the model reader (orm/): contents come through the run's reading seam (the
 * work tree, or the git index under --staged), the folder structure from the disk.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ProjectFiles {
  readText(abs: string): string | null;
  isFile(abs: string): boolean;
  isDir(abs: string): boolean;
  /** `.py` files below a folder, recursively, leaving out virtualenvs, node_modules and hidden folders. */
  pyFiles(dir: string): string[];
}

const SKIP_DIRS = new Set(['node_modules', '.venv', 'venv', 'env', '.env', '.git', '.tox', '.nox', '__pycache__', 'site-packages', 'build', 'dist', '.mypy_cache', '.pytest_cache', '.ruff_cache']);
/** A scan for unimported models stops here: a monorepo's thousands of modules are not read on every lint. */
const MAX_FILES = 3000;

/**
 * `listings` keeps what pyFiles found by folder: pass one map to every ProjectFiles of a run (the engine does,
 * per pass) and the tree is walked once, not once per reader of it.
 */
export function projectFiles(readText: (abs: string) => string | null, listings: Map<string, string[]> = new Map()): ProjectFiles {
  const texts = new Map<string, string | null>();
  const stats = new Map<string, 'file' | 'dir' | null>();
  const statOf = (abs: string) => {
    let s = stats.get(abs);
    if (s === undefined) {
      try {
        const st = fs.statSync(abs);
        s = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
      } catch {
        s = null;
      }
      stats.set(abs, s);
    }
    return s;
  };
  return {
    readText(abs) {
      if (!texts.has(abs)) texts.set(abs, statOf(abs) === 'dir' ? null : readText(abs));
      return texts.get(abs)!;
    },
    isFile: (abs) => statOf(abs) === 'file',
    isDir: (abs) => statOf(abs) === 'dir',
    pyFiles(dir) {
      const known = listings.get(dir);
      if (known) return [...known];
      const out: string[] = [];
      const walk = (d: string) => {
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(d, { withFileTypes: true });
        } catch {
          return;
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
          if (out.length >= MAX_FILES) return;
          if (e.isDirectory()) {
            if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
            walk(path.join(d, e.name));
          } else if (e.isFile() && e.name.endsWith('.py')) out.push(path.join(d, e.name));
        }
      };
      walk(dir);
      listings.set(dir, out);
      return [...out];
    },
  };
}
