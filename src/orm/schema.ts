/**
 * A database schema as autogenerate compares it: tables with their columns, indexes, unique constraints and
 * foreign keys. Both sides produce it: the models (orm/read.ts) and the migrations replayed (orm/replay.ts, a
 * reading of the lock rules' replay, facts/changes/replay.ts).
 * Where something is not statically known it is marked unknown and the comparison leaves it alone.
 */

/** A place in a file: the model's line, or the migration operation that made the thing. */
export interface Origin {
  file: string;
  start: number;
  end: number;
}

export interface SchemaColumn {
  name: string;
  /** PostgreSQL DDL of the type as SQLAlchemy compiles it (`VARCHAR(255)`), null when not known. */
  type: string | null;
  /** Null when not known. */
  nullable: boolean | null;
  primaryKey: boolean;
  origin: Origin | null;
}

export interface SchemaIndex {
  name: string;
  columns: string[];
  unique: boolean;
  /** An index over expressions (functional): autogenerate cannot compare its columns. */
  expressions: boolean;
  origin: Origin | null;
}

export interface SchemaUnique {
  /** Null for an unnamed constraint on the model side (matched by its columns, as autogenerate does). */
  name: string | null;
  columns: string[];
  origin: Origin | null;
}

export interface SchemaForeignKey {
  name: string | null;
  columns: string[];
  /** Referred table key (`public.` dropped). */
  refTable: string;
  refColumns: string[];
  ondelete: string | null;
  onupdate: string | null;
  deferrable: string | null;
  origin: Origin | null;
}

export interface SchemaTable {
  /** `schema.name` for a table outside the default schema, else the name. */
  key: string;
  name: string;
  schema: string | null;
  columns: Map<string, SchemaColumn>;
  indexes: SchemaIndex[];
  uniques: SchemaUnique[];
  foreignKeys: SchemaForeignKey[];
  /** Names of the other constraints (primary key, checks), so that drops by name can be followed. */
  otherConstraints: Set<string>;
  origin: Origin | null;
  /** Why this table cannot be compared in detail (its columns or constraints are not statically known). */
  unknown: string | null;
  /** Columns whose every property is unknown are kept out of `columns`; their names with the reason. */
  unknownColumns: Map<string, string>;
  /**
   * Why the table may have columns, indexes or constraints beyond those read (a base class from a library,
   * whose declarations the reader cannot see): what the migrations make and the model lacks is then unknown,
   * while what the model declares and the migrations lack is still a difference.
   */
  openColumns: string | null;
}

export interface Unknown {
  table: string;
  column: string | null;
  reason: string;
  origin?: Origin | null;
}

export function tableKeyOf(name: string, schema: string | null): string {
  return schema && schema !== 'public' ? `${schema}.${name}` : name;
}

export function newTable(name: string, schema: string | null, origin: Origin | null): SchemaTable {
  return {
    key: tableKeyOf(name, schema),
    name,
    schema: schema === 'public' ? null : schema,
    columns: new Map(),
    indexes: [],
    uniques: [],
    foreignKeys: [],
    otherConstraints: new Set(),
    origin,
    unknown: null,
    unknownColumns: new Map(),
    openColumns: null,
  };
}

/** A PrimaryKeyConstraint's columns: each one present becomes part of the key, and NOT NULL, as in PostgreSQL. */
export function markPrimaryKey(table: SchemaTable, columns: readonly string[]): void {
  for (const c of columns) {
    const col = table.columns.get(c);
    if (col) {
      col.primaryKey = true;
      col.nullable = false;
    }
  }
}

/** A SQLAlchemy naming convention (`MetaData(naming_convention=…)`), keys `ix`, `uq`, `fk`, `pk`, `ck`. */
export type NamingConvention = Map<string, string>;

export const DEFAULT_CONVENTION: NamingConvention = new Map([['ix', 'ix_%(column_0_label)s']]);

/**
 * The name SQLAlchemy gives a constraint or index from the convention, null when the convention has no
 * template for it (PostgreSQL then names it) or uses a token we cannot fill.
 */
export function conventionName(
  convention: NamingConvention,
  kind: 'ix' | 'uq' | 'fk' | 'pk' | 'ck',
  table: string,
  columns: string[],
  extra: { referredTable?: string; referredColumns?: string[]; constraintName?: string } = {},
): string | null {
  const template = convention.get(kind);
  if (!template) return null;
  let ok = true;
  const out = template.replace(/%\((\w+)\)s/g, (_m, token: string) => {
    const m = /^(column|referred_column)_0(_?)N?(_name|_label|_key)$/.exec(token);
    if (token === 'table_name') return table;
    if (token === 'referred_table_name' && extra.referredTable) return extra.referredTable.split('.').pop()!;
    if (token === 'constraint_name' && extra.constraintName) return extra.constraintName;
    if (m) {
      const cols = m[1] === 'column' ? columns : (extra.referredColumns ?? []);
      const all = token.includes('N');
      const pick = all ? cols : cols.slice(0, 1);
      if (!pick.length) {
        ok = false;
        return '';
      }
      const part = (c: string) => (m[3] === '_label' ? `${table}_${c}` : c);
      return pick.map(part).join(m[2] === '_' ? '_' : '');
    }
    ok = false;
    return '';
  });
  return ok ? out : null;
}

/** PostgreSQL's own name for an unnamed constraint: `<table>_<cols>_key` / `_fkey` / `_pkey`. */
export function postgresName(kind: 'uq' | 'fk' | 'pk', table: string, columns: string[]): string {
  if (kind === 'pk') return `${table}_pkey`;
  return `${table}_${columns.join('_')}_${kind === 'uq' ? 'key' : 'fkey'}`;
}
