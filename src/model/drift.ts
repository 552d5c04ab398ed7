/** `migration-lint drift --format json` (SPEC "Models are the truth"): what the drift command and the Action show. */

export interface DriftPlace {
  file: string;
  line: number;
}

export interface DriftDiffJson {
  /** autogenerate's diff kind: add_table, remove_column, modify_nullable, … (orm/compare.ts DiffKind). */
  kind: string;
  table: string;
  column: string | null;
  name: string | null;
  model: DriftPlace | null;
  migration: DriftPlace | null;
  detail: string;
  /** Not in SPEC's DIFF shape but useful to every reader: what autogenerate would write. */
  operation: string;
}

export interface DriftEnvironmentJson {
  versions: string[];
  models: string[];
  differences: DriftDiffJson[];
  unknown: { table: string; column: string | null; reason: string }[];
}

export interface DriftJson {
  version: 1;
  environments: DriftEnvironmentJson[];
}
