/**
 * One model of a schema change, whatever its form. An Alembic call (`op.add_column`), its `batch_op` twin,
 * the inline parts of a `sa.Column` (a `ForeignKey`, `unique=True`, `index=True`) and each statement of the SQL
 * that `op.execute` runs (read with PostgreSQL's own parser) all become the same `Change` events, so that a rule
 * judges the change and never the way it was written. Plain data: cached with the facts, compared across git
 * revisions, replayed over the revision graph into a schema (facts/changes/replay.ts).
 */
import type { Expr } from '../../model/expr.js';
import type { Span } from '../../model/span.js';
import type { FunctionKind } from '../../model/facts.js';

/** A column type as PostgreSQL knows it: `varchar(20)`, `timestamptz(3)`, `integer[]`, an enum. */
export interface SqlType {
  /**
   * PostgreSQL's internal name: int2, int4, int8, numeric, float4, float8, varchar, bpchar, text, bool, date,
   * time, timetz, timestamp, timestamptz, interval, uuid, json, jsonb, inet, cidr, bytea, citext, …; `enum` for
   * an enum type (its name in `enumName`); any other name as written, lower-cased.
   */
  name: string;
  /** Type modifiers: varchar(20) → [20], numeric(10, 2) → [10, 2], timestamp(3) → [3]; [] when none given. */
  mods: number[];
  /** Array dimensions (`integer[]`, `sa.ARRAY(sa.Integer)`): 0 for a scalar. */
  array: number;
  enumName: string | null;
  /** False when the type was not recognised (a custom TypeDecorator, a call we cannot read). */
  known: boolean;
}

export type Volatility = 'immutable' | 'stable' | 'volatile';

/** A column default (server side), or the expression of a stored generated column. */
export interface SqlExpr {
  /** The SQL text when it is known (a Python literal, `sa.text("now()")`); null when only its parts were read. */
  text: string | null;
  /** Functions it calls, lower-cased, without schema (`gen_random_uuid`, `nextval`, `my_default`). */
  calls: string[];
  /**
   * PostgreSQL's verdict for the whole expression: the most volatile of its calls; a function we do not know
   * (a user-defined one) counts as volatile, which is PostgreSQL's default for CREATE FUNCTION. Null when the
   * expression could not be read.
   */
  volatility: Volatility | null;
}

/**
 * A function a migration creates or alters (`CREATE [OR REPLACE] FUNCTION`, `ALTER FUNCTION`), as a later
 * default that calls it needs it: its name (lower-cased, without schema) and the volatility it declares;
 * CREATE FUNCTION without one makes it VOLATILE; null for an ALTER FUNCTION that leaves it as it was.
 */
export interface DeclaredFunction {
  name: string;
  volatility: Volatility | null;
}

export interface ColumnSpec {
  name: string | null;
  type: SqlType | null;
  /**
   * The type as written in Python (`sa.String(length=255)`), for the drift check, which compares types as
   * SQLAlchemy prints them; null in SQL and when no type is given.
   */
  typeExpr: Expr | null;
  /** As written: false for NOT NULL (`nullable=False`), true for an explicit NULL, null when not said. */
  nullable: boolean | null;
  primaryKey: boolean;
  default: SqlExpr | null;
  /** `sa.Computed(…)` / `GENERATED ALWAYS AS (…)`: stored unless `persisted=False` (PostgreSQL has no virtual columns before 18). */
  generated: { expr: SqlExpr; stored: boolean } | null;
  /** `sa.Identity(…)` / `GENERATED … AS IDENTITY`. */
  identity: { always: boolean } | null;
  /** A SERIAL type, or a `sa.Sequence` / `autoincrement` that fills the column from a sequence. */
  serial: boolean;
  /** Why part of the column cannot be read statically (`*args`, a flag that is not a literal); null when all is read. */
  unsure: string | null;
}

export type ConstraintKind = 'primary' | 'unique' | 'foreign' | 'check' | 'exclusion';

export interface ConstraintSpec {
  kind: ConstraintKind;
  name: string | null;
  columns: string[];
  /** Added `NOT VALID` (`postgresql_not_valid=True`): existing rows are not checked now. */
  notValid: boolean;
  /** `ADD CONSTRAINT … USING INDEX ix`: adopts an index built before. */
  usingIndex: string | null;
  /** Foreign keys: the referenced table and columns, and the actions PostgreSQL stores with the key. */
  references: References | null;
  /** Check constraints of the form `col IS NOT NULL`: the column. */
  notNullColumn: string | null;
}

export interface References {
  table: string | null;
  columns: string[];
  /** `ON DELETE` / `ON UPDATE` as written (`CASCADE`, `SET NULL`); null when not given. */
  ondelete: string | null;
  onupdate: string | null;
  /** `DEFERRABLE` (`deferrable`), `DEFERRABLE INITIALLY DEFERRED` (`initially_deferrable`), or null. */
  deferrable: 'deferrable' | 'initially_deferrable' | null;
}

export interface IndexSpec {
  name: string | null;
  /** The name SQLAlchemy gives a column's `index=True` by default (`ix_<table>_<column>`): a naming convention renames it. */
  auto: boolean;
  /** The columns that are plain names; an index over expressions has fewer than it indexes. */
  columns: string[];
  /** Some indexed element is an expression (or not read): autogenerate cannot compare its columns. */
  expressions: boolean;
  unique: boolean;
  /** Null when given as an expression (a variable): not assumed either way. */
  concurrently: boolean | null;
  /** A partial index (`postgresql_where`, `WHERE …`). */
  partial: boolean;
}

/** What lies under every change: where it comes from and the table it acts on. */
export interface ChangeBase {
  fn: FunctionKind;
  fnName: string;
  /**
   * How it was written: an `op.` call, a `batch_op.` call, a part of a `sa.Column` given to add_column or
   * create_table (`sa.ForeignKey`, `unique=True`, `index=True`), or a statement of SQL.
   */
  form: 'op' | 'batch' | 'column' | 'sql';
  /** The call it comes from (`op.add_column`, `batch_op.alter_column`, `op.execute`, `bind.execute`, `exec_driver_sql`). */
  call: string;
  /** The whole call: where findings point (from `op.`/`batch_op.` to the closing parenthesis). */
  span: Span;
  /** The part of the call it comes from when narrower: the `sa.ForeignKey(…)`, the SQL statement inside the string literal. */
  at: Span | null;
  /** For SQL: the statement's index in the string and how many it holds (several run as one implicit transaction). */
  sql: { index: number; count: number } | null;
  /** The table, `schema.name` when a schema other than public is named; null when unknown or none. */
  table: string | null;
  /**
   * Why the change is not known in full: it runs only under a condition, is called with `*args`, or an
   * argument it is read from is not a literal. The lock rules judge what was read; the drift check gives up
   * on the table. Null when everything is read.
   */
  unsure: string | null;
}

export type ChangeBody =
  | { kind: 'create_table'; columns: ColumnSpec[]; ifNotExists: boolean; asSelect: boolean }
  | { kind: 'drop_table'; ifExists: boolean }
  | { kind: 'rename_table'; to: string | null }
  | { kind: 'add_column'; column: ColumnSpec; ifNotExists: boolean }
  | { kind: 'drop_column'; column: string | null; ifExists: boolean }
  | { kind: 'rename_column'; column: string | null; to: string | null }
  | { kind: 'set_not_null'; column: string | null }
  | { kind: 'drop_not_null'; column: string | null }
  /** `from` is `existing_type` (Alembic) or null (SQL names no old type); `using` whether a USING expression converts the values. */
  | { kind: 'alter_type'; column: string | null; from: SqlType | null; to: SqlType | null; toExpr: Expr | null; using: boolean }
  | { kind: 'set_default'; column: string | null; default: SqlExpr }
  | { kind: 'drop_default'; column: string | null }
  /** `inline`: part of a create_table / add_column (Alembic emits it as its own ALTER TABLE … ADD CONSTRAINT). */
  | { kind: 'add_constraint'; constraint: ConstraintSpec; inline: 'create_table' | 'add_column' | null }
  | { kind: 'validate_constraint'; name: string | null }
  | { kind: 'drop_constraint'; name: string | null; constraint: ConstraintKind | null; ifExists: boolean }
  | { kind: 'create_index'; index: IndexSpec; inline: 'create_table' | 'add_column' | null; ifNotExists: boolean }
  | { kind: 'drop_index'; name: string | null; concurrently: boolean | null; ifExists: boolean }
  /** REINDEX / VACUUM / CLUSTER / ANALYZE; `target` what REINDEX names (table, index, schema, database, system). */
  | {
      kind: 'maintenance';
      command: 'reindex' | 'vacuum' | 'cluster' | 'analyze';
      full: boolean;
      concurrently: boolean;
      target: 'table' | 'index' | 'schema' | 'database' | 'system' | null;
      name: string | null;
    }
  | { kind: 'transaction'; command: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback_to' | 'prepare' | 'commit_prepared' | 'rollback_prepared' }
  /** SET / SET LOCAL / RESET of a setting (`lock_timeout`, `statement_timeout`, …); `value` null for RESET / DEFAULT. */
  | { kind: 'set'; name: string; value: string | null; local: boolean }
  /** A statement that rewrites the table without changing its columns (SET TABLESPACE, SET LOGGED, SET ACCESS METHOD). */
  | { kind: 'rewrite'; reason: string }
  /** Rows written or removed: INSERT / UPDATE / DELETE / MERGE / TRUNCATE / COPY / bulk_insert. */
  | { kind: 'data'; verb: 'insert' | 'update' | 'delete' | 'merge' | 'truncate' | 'copy' }
  /** LOCK TABLE; mode 1..8 as PostgreSQL numbers them (8 = ACCESS EXCLUSIVE). */
  | { kind: 'lock'; mode: number }
  | { kind: 'comment'; column: string | null }
  /** DROP of something other than a table or index (schema, view, materialized view, type, sequence, database, …). */
  | { kind: 'drop_object'; object: string; name: string | null }
  /**
   * A statement read but not modelled (CREATE FUNCTION, CREATE EXTENSION, ALTER SYSTEM, CREATE DATABASE, …):
   * `statement` is PostgreSQL's node name (`CreateFunctionStmt`), `detail` what else is known; `function` for
   * CREATE / ALTER FUNCTION.
   */
  | { kind: 'other'; statement: string; detail: string | null; function?: DeclaredFunction }
  /**
   * Something runs that could not be read: SQL that is not a literal, that PostgreSQL's grammar rejects, or an
   * expression object; `data` when it is seen to read or write rows only (a statement object such as
   * `t.update()`, or text built at run time that starts `UPDATE`/`INSERT`/`DELETE`/`SELECT`).
   */
  | { kind: 'unknown'; reason: 'not-literal' | 'syntax-error' | 'expression' | 'data' };

export type Change = ChangeBase & ChangeBody;
export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;
