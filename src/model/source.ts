/**
 * Where file contents come from. The work tree by default (io/source.ts); git modes (--staged, --base) provide
 * their own (git/mode.ts), so the engine and rules never know whether a blob came from the disk or the index.
 */
import type { DiscoveredEnvironment } from './environment.js';

/** What changes whenever a file's bytes do (size, times, inode), read without reading the file. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export interface SourceProvider {
  /** Absolute paths of the environment's migrations as this source sees them. */
  files(env: DiscoveredEnvironment): string[];
  read(absPath: string): Uint8Array;
  /** Text of a non-migration file (script.py.mako, pyproject.toml), or null when absent. */
  readText(absPath: string): string | null;
  /** Whether --fix may write files back (never for a git tree). */
  writable: boolean;
  /**
   * The file's content key when the source knows it without reading the file: the git blob id (the index holds
   * it for every staged file). The cache (engine/cache.ts) keys facts by it; undefined or null: unknown.
   */
  key?(absPath: string): string | null | undefined;
  /**
   * Size, times and inode of a file on disk, for sources that read the disk: the cache trusts a key it computed
   * from the bytes for as long as the stamp stays the same. Null when there is no regular file to stamp.
   */
  stamp?(absPath: string): FileStamp | null;
  /** The files the engine is about to read: a source that reads in batches (git cat-file) loads them together. */
  willRead?(absPaths: string[]): void;
}
