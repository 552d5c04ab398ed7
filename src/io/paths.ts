/** Paths as users see them: relative to the working directory, with `/` separators on every platform. */
import path from 'node:path';

/** Normalised absolute paths without `.`/`..` segments: below such a folder, relative() is a slice. */
const PLAIN_ABSOLUTE = path.sep === '/' ? /^\/(?!.*(?:\/\.{1,2}(?:\/|$)|\/\/|\/$))/ : null;

export function relPath(cwd: string, abs: string): string {
  // Thousands of paths per run, nearly all directly below cwd: skip path.relative's resolving when it cannot differ.
  if (PLAIN_ABSOLUTE && abs.length > cwd.length + 1 && abs.startsWith(cwd) && abs[cwd.length] === '/' && PLAIN_ABSOLUTE.test(cwd) && PLAIN_ABSOLUTE.test(abs)) {
    return abs.slice(cwd.length + 1);
  }
  const rel = path.relative(cwd, abs) || path.basename(abs);
  return rel.split(path.sep).join('/');
}
