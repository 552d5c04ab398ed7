/**
 * `migration-lint summary`: what each migration does, for review. `SummaryJson` is the contract (`summary --format
 * json`) that the Action and other tools build on; the views carry what the human renderings
 * need on top of it and never reach the JSON.
 */

/** One operation as the JSON contract gives it, in source order. */
export interface OpJson {
  op: string;
  line: number;
  column: number;
  table: string | null;
  name: string | null;
  destructive: boolean;
  /** The PostgreSQL lock the statement takes, null where unknown. */
  lock: string | null;
}

export interface MigrationJson {
  file: string;
  revision: string | null;
  downRevisions: (string | null)[];
  branchLabels: (string | null)[];
  dependsOn: (string | null)[];
  message: string | null;
  merge: boolean;
  upgrade: OpJson[];
  downgrade: OpJson[];
}

export interface EnvironmentJson {
  versions: string[];
  heads: string[];
  /** With `--database-url`: what the database records, what it has not run yet, and what no file defines. */
  database?: { url: string; recorded: string[]; pending: string[]; missing: string[] };
}

export interface SummaryJson {
  version: 1;
  environments: EnvironmentJson[];
  migrations: MigrationJson[];
}

/** A piece of a human description: plain words, or a name/type/SQL shown as code. */
export type Phrase = (string | { code: string })[];

export interface OpView extends OpJson {
  /** `upgrade`, or a multidb `upgrade_<name>`. */
  fnName: string;
  /** What it does, e.g. ["add column ", {code: "hero.power"}, " AutoString NOT NULL"]. */
  text: Phrase;
  /** Not an Alembic directive: SQL run through the connection (`op.get_bind().execute`, `exec_driver_sql`). */
  connectionSql: boolean;
}

export interface MigrationView extends Omit<MigrationJson, 'upgrade' | 'downgrade'> {
  upgrade: OpView[];
  downgrade: OpView[];
  /** The file does not parse: what is listed was read around the error. */
  parseError: { line: number; column: number; message: string } | null;
}

/** One revision of the graph, for the pictures of it (summary/mermaid.ts). */
export interface RevisionNodeView {
  revision: string;
  downRevisions: string[];
  branchLabels: string[];
  dependsOn: string[];
  message: string | null;
  /** Listed as changed (--staged/--base): the revisions a reviewer is asked about. */
  changed: boolean;
  /** Down revisions no file defines (not even one whose variables cannot be read): `unknown-down-revision`. */
  missing: string[];
}

export interface EnvironmentView extends EnvironmentJson {
  /** Migrations whose revision variables cannot be read statically (left out of the graph). */
  unresolved: number;
  /** Every revision the graph holds, in history order. */
  graph: RevisionNodeView[];
}

export interface SummaryView {
  environments: EnvironmentView[];
  migrations: MigrationView[];
}
