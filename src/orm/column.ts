/**
 * SQLAlchemy's schema constructs as written in the models: `Column(...)`, `mapped_column(...)`, and the table
 * items `Index`, `UniqueConstraint`, `ForeignKeyConstraint`, `PrimaryKeyConstraint`, `CheckConstraint`
 * (`sa_column=Column(...)`, declarative classes, `Table(...)`, `__table_args__`), with names resolved through
 * the module's imports. The migrations' `sa.Column(...)` is read into change events (facts/changes/column.ts),
 * which the lock rules and the drift check share; both print a type with orm/sqltype.ts.
 */
import type { Origin, SchemaForeignKey } from './schema.js';
import { sqlTypeOf, type Qualify } from './sqltype.js';
import { kwarg, literalBool } from '../parse/python.js';
import type { Call, Expr } from '../model/expr.js';
import { items, plainString, str } from './literal.js';

export interface ForeignKeyRef {
  /** `table.column` or `schema.table.column` as written. */
  target: string;
  name: string | null;
  ondelete: string | null;
  onupdate: string | null;
  deferrable: string | null;
}

export interface ColumnParts {
  name: string | null;
  /** The type argument as written, when there is one. */
  typeValue: Expr | null;
  type: string | null;
  /** Literal `nullable=`; undefined when not given; null when given but not a literal. */
  nullable: boolean | null | undefined;
  primaryKey: boolean | null;
  unique: boolean | null;
  index: boolean | null;
  foreignKeys: ForeignKeyRef[];
  /** Something about the column cannot be read (non-literal flags, `*args`). */
  unknown: string | null;
}

export type TableItem =
  | { kind: 'column'; column: ColumnParts; value: Expr }
  | { kind: 'index'; name: string | null; columns: string[]; unique: boolean; expressions: boolean; value: Expr }
  | { kind: 'unique'; name: string | null; columns: string[]; value: Expr }
  | { kind: 'pk'; name: string | null; columns: string[]; value: Expr }
  | { kind: 'fk'; name: string | null; columns: string[]; refs: string[]; ondelete: string | null; onupdate: string | null; deferrable: string | null; value: Expr }
  | { kind: 'check'; name: string | null; value: Expr }
  | { kind: 'unknown'; value: Expr };

function last(q: string | null): string | null {
  return q === null ? null : q.slice(q.lastIndexOf('.') + 1);
}

function flag(call: Call, name: string): boolean | null | undefined {
  const v = kwarg(call, name);
  if (!v) return undefined;
  return literalBool(v);
}

function fkOptions(call: Call) {
  const opt = (n: string) => {
    const v = kwarg(call, n);
    return v ? str(v) : null;
  };
  const deferrable = literalBool(kwarg(call, 'deferrable'));
  const initially = opt('initially');
  return {
    name: str(kwarg(call, 'name')),
    ondelete: opt('ondelete'),
    onupdate: opt('onupdate'),
    deferrable: initially && initially.toLowerCase() === 'deferred' ? 'initially_deferrable' : deferrable ? 'deferrable' : null,
  };
}

/** Reads `Column(...)` / `mapped_column(...)` / `sa.Column(...)`. */
export function readColumn(call: Call, qualify: Qualify, enumName?: (v: Expr) => string | null): ColumnParts {
  const out: ColumnParts = {
    name: null,
    typeValue: null,
    type: null,
    nullable: flag(call, 'nullable'),
    primaryKey: flag(call, 'primary_key') ?? false,
    unique: flag(call, 'unique') ?? false,
    index: flag(call, 'index') ?? false,
    foreignKeys: [],
    unknown: call.star ? 'built with *args/**kwargs' : null,
  };
  const nameKw = kwarg(call, 'name');
  if (nameKw) out.name = str(nameKw);
  const typeKw = kwarg(call, 'type_');
  if (typeKw) out.typeValue = typeKw;
  for (const [i, a] of call.args.entries()) {
    const name = i === 0 ? plainString(a) : null;
    if (name !== null) {
      out.name = name;
      continue;
    }
    const fn = a.kind === 'call' ? last(qualify(a.callee)) : null;
    if (fn === 'ForeignKey' && a.kind === 'call') {
      const target = str(a.args[0]);
      if (target === null) out.unknown ??= 'foreign key target is not a literal';
      else out.foreignKeys.push({ target, ...fkOptions(a) });
      continue;
    }
    if (fn && ['Sequence', 'Computed', 'Identity', 'CheckConstraint', 'FetchedValue', 'DefaultClause'].includes(fn)) continue;
    if (!out.typeValue) out.typeValue = a;
  }
  out.type = out.typeValue ? sqlTypeOf(out.typeValue, qualify, enumName) : null;
  for (const k of ['primary_key', 'unique', 'index'] as const) {
    if (kwarg(call, k) && literalBool(kwarg(call, k)) === null) out.unknown ??= `${k}= is not a literal`;
  }
  return out;
}

function names(args: Expr[]): { columns: string[]; expressions: boolean } {
  const columns: string[] = [];
  let expressions = false;
  for (const a of args) {
    const s = plainString(a);
    if (s === null) expressions = true;
    else columns.push(s);
  }
  return { columns, expressions };
}

/** One positional argument of `Table(...)` / `op.create_table(...)` / an item of `__table_args__`. */
export function readTableItem(v: Expr, qualify: Qualify, enumName?: (v: Expr) => string | null): TableItem {
  if (v.kind !== 'call') return { kind: 'unknown', value: v };
  const fn = last(qualify(v.callee));
  switch (fn) {
    case 'Column':
    case 'mapped_column':
      return { kind: 'column', column: readColumn(v, qualify, enumName), value: v };
    case 'Index': {
      const { columns, expressions } = names(v.args.slice(1));
      const unique = literalBool(kwarg(v, 'unique')) ?? false;
      return { kind: 'index', name: str(v.args[0]), columns, unique, expressions: expressions || v.star, value: v };
    }
    case 'UniqueConstraint':
    case 'PrimaryKeyConstraint': {
      const { columns, expressions } = names(v.args);
      if (expressions || v.star) return { kind: 'unknown', value: v };
      return { kind: fn === 'UniqueConstraint' ? 'unique' : 'pk', name: str(kwarg(v, 'name')), columns, value: v };
    }
    case 'ForeignKeyConstraint': {
      const cols = items(v.args[0] ?? kwarg(v, 'columns'));
      const refs = items(v.args[1] ?? kwarg(v, 'refcolumns'));
      const c = cols?.map((x) => str(x));
      const r = refs?.map((x) => str(x));
      if (!c || !r || c.some((x) => x === null) || r.some((x) => x === null)) return { kind: 'unknown', value: v };
      return { kind: 'fk', columns: c as string[], refs: r as string[], ...fkOptions(v), value: v };
    }
    case 'CheckConstraint':
      return { kind: 'check', name: str(kwarg(v, 'name')), value: v };
    default:
      return { kind: 'unknown', value: v };
  }
}

/** `team.id` → table `team`, column `id`; `s.team.id` → table `s.team`. */
export function splitTarget(target: string): { table: string; column: string } {
  const i = target.lastIndexOf('.');
  const table = target.slice(0, i);
  return { table: table.startsWith('public.') ? table.slice(7) : table, column: target.slice(i + 1) };
}

/** A `ForeignKeyConstraint(…)` or a column's `ForeignKey(…)` (refs: its one target) as a schema holds it, under `name`. */
export function foreignKeyOf(item: Pick<Extract<TableItem, { kind: 'fk' }>, 'columns' | 'refs' | 'ondelete' | 'onupdate' | 'deferrable'>, name: string | null, origin: Origin | null): SchemaForeignKey {
  return {
    name,
    columns: item.columns,
    refTable: splitTarget(item.refs[0] ?? '.').table,
    refColumns: item.refs.map((r) => splitTarget(r).column),
    ondelete: item.ondelete,
    onupdate: item.onupdate,
    deferrable: item.deferrable,
    origin,
  };
}
