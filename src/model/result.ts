/** What a lint run returns: the engine's output, and the reporters' and front-ends' input. */
import type { Diagnostic } from './diagnostic.js';
import type { Environment } from './environment.js';
import type { MigrationFile } from './migration.js';
import type { Conventions } from './settings.js';

export interface EnvironmentResult {
  name: string;
  versions: string[];
  files: MigrationFile[];
  template: Environment['template'];
  /** The house conventions learnt from its applied revisions (absent when its findings came from the cache). */
  conventions?: Conventions;
}

export interface DatabaseSummary {
  /** The URL with its password masked. */
  shownUrl: string;
  /** What `alembic_version` records. */
  recorded: string[];
  /** Recorded revisions the environments define. */
  current: string[];
  /** Revisions not yet applied to it, parents before children. */
  pending: string[];
  /** Recorded revisions no file defines (database-revision-missing). */
  missing: string[];
}

export interface LintResult {
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  /** Files linted (reported on), not every file the graph rules read. */
  fileCount: number;
  /** Applied revisions, unchanged since the baseline, that only the graph and history rules judged (applied history is immutable: what ran is not re-judged). */
  graphOnly?: number;
  /** What `--database-url` read, over every environment; absent without a database. */
  database?: DatabaseSummary | null;
  environments: EnvironmentResult[];
  fixed: { file: string; description: string }[];
}
