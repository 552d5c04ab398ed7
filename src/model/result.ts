/** What a lint run returns: the engine's output, and the reporters' and front-ends' input. */
import type { Diagnostic } from './diagnostic.js';
import type { Environment } from './environment.js';
import type { MigrationFile } from './migration.js';

export interface EnvironmentResult {
  name: string;
  versions: string[];
  files: MigrationFile[];
  template: Environment['template'];
}

export interface LintResult {
  diagnostics: Diagnostic[];
  suppressed: Diagnostic[];
  /** Files linted (reported on), not every file the graph rules read. */
  fileCount: number;
  environments: EnvironmentResult[];
  fixed: { file: string; description: string }[];
}
