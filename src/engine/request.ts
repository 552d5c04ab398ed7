/** What a lint is asked to do: the engine's input, from the CLI, the Action or an embedding tool. */
import type { Config } from '../config/load.js';
import type { DatabaseRecord } from '../model/database.js';
import type { Level } from '../model/diagnostic.js';
import type { DiscoveredEnvironment } from '../model/environment.js';
import type { History } from '../model/migration.js';
import type { SourceProvider } from '../model/source.js';
import type { FactsCache } from './cache.js';

export interface LintRequest {
  cwd: string;
  environments: DiscoveredEnvironment[];
  config: Config;
  /** `--rule id=level`, over config. */
  ruleLevels?: Record<string, Level>;
  /** Absolute paths to report on; null reports on every migration (graph rules always read all). */
  targets?: Set<string> | null;
  source?: SourceProvider;
  history?: History | null;
  /** "changed" (default: config `scope`): content rules skip applied revisions unchanged since the baseline; "all": audit. */
  scope?: 'changed' | 'all';
  /** `alembic_version` as `--database-url` read it. */
  database?: DatabaseRecord | null;
  fix?: boolean;
  /** Facts and findings remembered across runs (engine/cache.ts); saved when the run ends. */
  cache?: FactsCache | null;
  /** --staged/--base: the Python files the change touches (absolute), so that model rules run only when it touches models. */
  changedPython?: (() => Set<string> | null) | null;
}
