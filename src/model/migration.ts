/** One migration file in memory, and what git knows about migrations at the applied baseline. */
import type { MigrationFacts } from './facts.js';
import type { Span } from './span.js';

/** One migration file as the rules see it (built from bytes by facts/migration.ts, the one decode path). */
export interface MigrationFile {
  /** Path relative to the working directory, with `/` separators. */
  path: string;
  text: string;
  facts: MigrationFacts;
  /** The bytes are not valid UTF-8 (or the declared coding): where, in the decoded text, and why. */
  decodeError: { span: Span; message: string; help?: string } | null;
  /**
   * Reading the file's facts failed inside the linter (a bug, never the file's fault): what failed. Set once
   * `facts` has been asked for; `facts` are then empty, and only the internal-error rule judges the file.
   */
  internalError?: string | null;
}

/** What git knows about a file at the applied baseline; given by the engine, never read by a rule itself. */
export interface HistoryEntry {
  status: 'modified' | 'deleted' | 'renamed';
  /** Path at the baseline. */
  oldPath: string;
  /** Path in the change (null when deleted). */
  newPath: string | null;
  oldFacts: MigrationFacts | null;
  oldText: string;
  baselineCommit: string;
  baselineRef: string;
  /**
   * A deleted revision whose file git paired with another (a rename, or an edit in place) that defines a
   * different revision: that file, and what it defines now.
   */
  pairedWith?: { path: string; revision: string };
}

export interface History {
  baselineCommit: string;
  baselineRef: string;
  entries: HistoryEntry[];
  /** Paths (relative, `/`) of migrations that exist at the baseline. */
  appliedPaths: Set<string>;
}
