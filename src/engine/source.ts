/**
 * Where file contents come from. The work tree by default; git modes (--staged, --base) provide their own,
 * so the engine and rules never know whether a blob came from the disk or the index.
 */
import type { DiscoveredEnvironment } from '../discover/environments.js';
import { readBytes, readText } from '../io/files.js';

export interface SourceProvider {
  /** Absolute paths of the environment's migrations as this source sees them. */
  files(env: DiscoveredEnvironment): string[];
  read(absPath: string): Uint8Array;
  /** Text of a non-migration file (script.py.mako, pyproject.toml), or null when absent. */
  readText(absPath: string): string | null;
  /** Whether --fix may write files back (never for a git tree). */
  writable: boolean;
}

export const workTree: SourceProvider = {
  files: (env) => env.files,
  read: readBytes,
  readText,
  writable: true,
};
