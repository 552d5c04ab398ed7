/**
 * The contract between rules and the engine. A rule reads facts and reports spans; it never prints, and
 * never touches git or the disk: the engine hands it everything it may look at.
 */
import type { MigrationFacts } from '../facts/types.js';
import type { Span } from '../parse/source.js';

export type Severity = 'error' | 'warning';
export type Level = Severity | 'off';

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** What the fix does, in a few words ("insert `import sqlmodel`"). */
  description: string;
  edits: TextEdit[];
}

export interface Report {
  span: Span;
  message: string;
  /** The fix or safe recipe for this finding; the rule's generic help is used when absent. */
  help?: string;
  fix?: Fix;
  /** A finding that is milder than the rule's level (an applied revision edited only cosmetically). */
  severity?: Severity;
}

export interface Settings {
  /** Resolved per environment: "auto" has become "always" or "when-used". */
  sqlmodelImport: 'always' | 'when-used';
  checkDowngrade: boolean;
  vagueMessages: string[];
  dialect: string;
}

/** One migration file as the rules see it. */
export interface MigrationFile {
  /** Path relative to the working directory, with `/` separators. */
  path: string;
  text: string;
  facts: MigrationFacts;
  /** The bytes are not valid UTF-8 (or the declared coding): where, in the decoded text, and why. */
  decodeError: { span: Span; message: string; help?: string } | null;
}

export interface Environment {
  /** A label for messages: the versions folder, or the alembic.ini section. */
  name: string;
  /** Version folders, relative to the working directory. */
  versions: string[];
  /** script.py.mako beside the versions folder, when there is one. */
  template: { path: string; text: string } | null;
  /** env.py beside the versions folder, when there is one (the lock rules read its `lock_timeout`). */
  envPy: { path: string; text: string } | null;
  /** Alembic's `file_template`, for reading revision ids out of file names. */
  fileTemplate: string | null;
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

interface ContextBase<Options> {
  settings: Settings;
  options: Options;
}

export interface FileContext<Options = Record<string, unknown>> extends ContextBase<Options> {
  file: MigrationFile;
  env: Environment;
  report(r: Report): void;
}

export interface EnvironmentContext<Options = Record<string, unknown>> extends ContextBase<Options> {
  env: Environment;
  /** Every migration of the environment (graph rules need them all, even when only some are linted). */
  files: MigrationFile[];
  history: History | null;
  /**
   * Whether the engine reports on this file (--staged and --base report on what changed; findings on other
   * files are dropped). A rule whose findings on a file depend only on facts read for it may skip the rest.
   */
  isTarget?(file: MigrationFile): boolean;
  /** Report on a migration file, or on the environment's template when `file` is its path. */
  report(file: string, r: Report): void;
}

export interface RuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  fixable: boolean;
  /** One line: the usual fix or approval, shown under each finding. */
  help: string;
}

export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta;
  /** Validates and fills defaults for `["error", {options}]` from config; throws a message on bad input. */
  options?(raw: Record<string, unknown>): Options;
  checkFile?(ctx: FileContext<Options>): void;
  checkEnvironment?(ctx: EnvironmentContext<Options>): void;
}

export function defineRule<Options = Record<string, unknown>>(rule: Rule<Options>): Rule<Options> {
  return rule;
}
