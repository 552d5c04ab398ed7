/**
 * The schema the migrations build, as the drift check compares it: the lock rules' replay of the change
 * events (facts/changes/replay.ts) run to the heads in detail (names for unnamed constraints from the target
 * metadata's naming convention or PostgreSQL, where each thing was made, what could not be followed), read
 * into the comparison's shape (orm/schema.ts). Types are printed as SQLAlchemy prints them from the Python
 * the migration wrote (orm/sqltype.ts), since that is what `compare_type` compares; a type set in SQL is
 * not compared.
 */
import { replayEnvironment } from '../facts/changes/replay.js';
import type { Detail, Made, TableState } from '../facts/changes/schema.js';
import type { MigrationFile } from '../model/migration.js';
import { conventionName, newTable, postgresName, type NamingConvention, type Origin, type SchemaTable, type Unknown } from './schema.js';
import { sqlTypeOf } from './sqltype.js';
import { dottedName } from '../parse/python.js';
import type { Expr } from '../model/expr.js';

export interface Replayed {
  tables: Map<string, SchemaTable>;
  unknown: Unknown[];
}

/** Replays every upgrade change of `files` (one environment) in graph order, in detail. */
export function replayMigrations(files: MigrationFile[], convention: NamingConvention): Replayed {
  const detail: Detail = {
    naming: (kind, table, columns, referred) =>
      conventionName(convention, kind, table, columns, referred ? { referredTable: referred.table ?? undefined, referredColumns: referred.columns } : {}) ??
      (kind === 'ix' ? null : postgresName(kind, table, columns)),
    unfollowed: [],
  };
  const schema = replayEnvironment(files, null).final(detail);
  const tables = new Map<string, SchemaTable>();
  for (const [key, t] of schema.allTables()) tables.set(key, tableOf(key, t));
  const unknown: Unknown[] = [];
  for (const u of detail.unfollowed) {
    const t = u.column === null ? undefined : tables.get(u.table);
    // A column some unplaced revision may add, drop or alter: that column alone is not compared.
    if (t && u.column !== null) t.unknownColumns.set(u.column, u.reason);
    else unknown.push({ table: u.table, column: null, reason: u.reason, origin: u.made });
  }
  return { tables, unknown };
}

const originOf = (m: Made | null): Origin | null => m;
const unqualified = (key: string) => (key.startsWith('public.') ? key.slice(7) : key);
const printed = (e: Expr | null) => (e ? sqlTypeOf(e, dottedName) : null);

function tableOf(key: string, t: TableState): SchemaTable {
  const dot = key.lastIndexOf('.');
  const out = newTable(key.slice(dot + 1), dot === -1 ? null : key.slice(0, dot), originOf(t.made));
  out.key = key;
  out.unknown = t.unknown ?? (t.created ? null : `${key} is changed by the migrations but never created by them`);
  const pk = new Set<string>();
  for (const k of t.constraints.values()) if (k.spec.kind === 'primary') for (const c of k.spec.columns) pk.add(c);
  for (const [name, c] of t.columns) {
    if (c.spec.unsure !== null) out.unknownColumns.set(name, c.spec.unsure);
    out.columns.set(name, { name, type: printed(c.typeExpr), nullable: c.nullable, primaryKey: pk.has(name) || c.spec.primaryKey, origin: originOf(c.made) });
  }
  for (const ix of t.indexes.values()) {
    if (ix.name !== null) out.indexes.push({ name: ix.name, columns: ix.columns, unique: ix.unique, expressions: ix.expressions, origin: originOf(ix.made) });
  }
  for (const k of t.constraints.values()) {
    const origin = originOf(k.made);
    const refs = k.spec.references;
    if (k.spec.kind === 'unique') out.uniques.push({ name: k.name, columns: k.spec.columns, origin });
    else if (k.spec.kind === 'foreign' && refs) {
      if (refs.table === null) {
        out.unknown ??= `a foreign key of ${key} refers to a table that is not statically known`;
        continue;
      }
      out.foreignKeys.push({ name: k.name, columns: k.spec.columns, refTable: unqualified(refs.table), refColumns: refs.columns, ondelete: refs.ondelete, onupdate: refs.onupdate, deferrable: refs.deferrable, origin });
    } else if (k.name !== null) out.otherConstraints.add(k.name);
  }
  return out;
}

