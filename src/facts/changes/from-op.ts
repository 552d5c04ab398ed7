/**
 * Alembic operation calls (`op.*` and their `batch_op.*` twins) turned into change events, in the order
 * Alembic emits the statements (alembic/ddl/impl.py, alembic/ddl/postgresql.py, alembic/operations/toimpl.py).
 */
import { isFalse, isTrue, kwarg, literalBool, literalString } from '../../parse/python.js';
import type { Expr } from '../../model/expr.js';
import type { Span } from '../../model/span.js';
import type { Operation } from '../../model/facts.js';
import { argOf, restArgs } from './alembic-args.js';
import { callName, checkConstraint, foreignActions, foreignTarget, isColumn, plainConstraint, readColumn } from './column.js';
import { exprFromPython } from './sql-expr.js';
import { typeFromPython } from './sql-types.js';
import { tableKey } from './table-key.js';
import type { ChangeBody, ColumnSpec, ConstraintKind, ConstraintSpec } from './types.js';

/** One event of a call: its table, what it does, and the part of the call it comes from (null: the whole call). */
export interface OpEvent {
  table: string | null;
  body: ChangeBody;
  at: Span | null;
  /** True for the parts of a `sa.Column` (ForeignKey, unique=True, index=True). */
  inline: boolean;
  /** What of the call could not be read (ChangeBase.unsure); null when all was. */
  unsure?: string;
}

/** Names of columns given as a list of strings (`["name", "age"]`), the ones that are literals. */
function columnList(e: Expr | undefined): string[] {
  return columnNames(e).names;
}

/** The literal names of a column list, and whether every element is one. */
function columnNames(e: Expr | undefined): { names: string[]; complete: boolean } {
  if (!e) return { names: [], complete: false };
  const items = e.kind === 'seq' ? e.items : [e];
  const names = items.map((i) => literalString(i)).filter((n): n is string => n !== null);
  return { names, complete: names.length === items.length };
}

/** What a call's events cannot say (ChangeBase.unsure): null when everything they need was a literal. */
function unsureOf(op: Operation, table: string | null): string | null {
  if (op.guarded) return 'runs only under a condition';
  if (op.star) return 'is called with *args/**kwargs';
  const literal = (name: string) => literalString(argOf(op, name)) !== null;
  const names = (name: string) => columnNames(argOf(op, name)).complete;
  if (table === null && op.op !== 'drop_index') return 'has no literal table name';
  switch (op.op) {
    case 'create_table':
      return restArgs(op).some((a) => !(a.kind === 'call' && (callName(a) === 'Column' || callName(a) === 'Index' || tableConstraint(a)))) ? 'has an argument that is not statically known' : null;
    case 'rename_table':
      return literal('new_table_name') ? null : 'renames to a name that is not literal';
    case 'add_column':
      return isColumn(argOf(op, 'column')) ? null : 'adds a column that is not statically known';
    case 'drop_column':
    case 'alter_column':
      if (op.name === null) return 'names a column that is not literal';
      return argOf(op, 'new_column_name') && !literal('new_column_name') ? 'renames to a name that is not literal' : null;
    case 'create_index':
    case 'drop_index':
    case 'drop_constraint':
      return op.name === null ? 'has no literal name' : null;
    case 'create_unique_constraint':
    case 'create_primary_key':
      return names('columns') ? null : 'names columns that are not literal';
    case 'create_foreign_key':
      return literal('referent_table') && names('local_cols') && names('remote_cols') ? null : 'is not literal';
    default:
      return null;
  }
}

function schemaKw(op: Operation, name = 'schema'): string | null {
  return literalString(kwarg(op, name));
}

/** The table of an operation, schema-qualified when a literal `schema=` names one. */
export function opTable(op: Operation): string | null {
  return tableKey(op.table, schemaKw(op, op.op === 'create_foreign_key' ? 'source_schema' : 'schema'));
}

export function opEvents(op: Operation): OpEvent[] {
  const table = opTable(op);
  const events = bodyEvents(op, table);
  const unsure = unsureOf(op, table);
  return unsure === null ? events : events.map((e) => ({ ...e, unsure }));
}

function bodyEvents(op: Operation, table: string | null): OpEvent[] {
  const one = (body: ChangeBody): OpEvent[] => [{ table, body, at: null, inline: false }];
  switch (op.op) {
    case 'create_table':
      return createTable(op, table);
    case 'drop_table':
      return one({ kind: 'drop_table', ifExists: isTrue(kwarg(op, 'if_exists')) });
    case 'rename_table': {
      const to = literalString(argOf(op, 'new_table_name'));
      return one({ kind: 'rename_table', to: tableKey(to, schemaKw(op)) });
    }
    case 'add_column':
      return addColumn(op, table);
    case 'drop_column':
      return one({ kind: 'drop_column', column: op.name, ifExists: isTrue(kwarg(op, 'if_exists')) });
    case 'alter_column':
      return alterColumn(op, table);
    case 'create_index': {
      const where = kwarg(op, 'postgresql_where');
      const columns = columnNames(argOf(op, 'columns'));
      return one({
        kind: 'create_index',
        index: {
          name: op.name,
          auto: false,
          columns: columns.names,
          expressions: !columns.complete,
          unique: isTrue(argOf(op, 'unique')),
          concurrently: concurrently(op),
          partial: !!where && where.kind !== 'none',
        },
        inline: null,
        ifNotExists: isTrue(kwarg(op, 'if_not_exists')),
      });
    }
    case 'drop_index':
      return one({ kind: 'drop_index', name: op.name, concurrently: concurrently(op), ifExists: isTrue(kwarg(op, 'if_exists')) });
    case 'create_foreign_key': {
      const referent = literalString(argOf(op, 'referent_table'));
      return one({
        kind: 'add_constraint',
        inline: null,
        constraint: {
          ...plainConstraint('foreign', op.name, columnList(argOf(op, 'local_cols'))),
          notValid: isTrue(kwarg(op, 'postgresql_not_valid')),
          references: { table: tableKey(referent, schemaKw(op, 'referent_schema')), columns: columnList(argOf(op, 'remote_cols')), ...foreignActions((n) => argOf(op, n)) },
        },
      });
    }
    case 'create_check_constraint':
      return one({ kind: 'add_constraint', inline: null, constraint: checkConstraint(op.name, literalString(argOf(op, 'condition')), isTrue(kwarg(op, 'postgresql_not_valid'))) });
    case 'create_unique_constraint':
    case 'create_primary_key':
      return one({ kind: 'add_constraint', inline: null, constraint: plainConstraint(op.op === 'create_primary_key' ? 'primary' : 'unique', op.name, columnList(argOf(op, 'columns'))) });
    case 'create_exclude_constraint': {
      const columns = restArgs(op)
        .map((e) => (e.kind === 'seq' ? literalString(e.items[0]) : null))
        .filter((n): n is string => n !== null);
      return one({ kind: 'add_constraint', inline: null, constraint: plainConstraint('exclusion', op.name, columns) });
    }
    case 'drop_constraint': {
      const kinds: Record<string, ConstraintKind> = { primary: 'primary', unique: 'unique', foreignkey: 'foreign', check: 'check' };
      const type = literalString(argOf(op, 'type_'));
      return one({ kind: 'drop_constraint', name: op.name, constraint: type === null ? null : (kinds[type] ?? null), ifExists: isTrue(kwarg(op, 'if_exists')) });
    }
    case 'bulk_insert':
      return one({ kind: 'data', verb: 'insert' });
    case 'create_table_comment':
    case 'drop_table_comment':
      return one({ kind: 'comment', column: null });
    default:
      // execute is read from its SQL (facts/changes/index.ts).
      return [];
  }
}

/** `postgresql_concurrently=`: true, false (absent or False), or null for an expression. */
function concurrently(op: Operation): boolean | null {
  const v = kwarg(op, 'postgresql_concurrently');
  if (!v) return false;
  return literalBool(v);
}

function inlineEvents(table: string | null, parts: ReturnType<typeof readColumn>['parts'], inline: 'create_table' | 'add_column'): OpEvent[] {
  return [
    ...parts.constraints.map(({ constraint, at }): OpEvent => ({ table, at, inline: true, body: { kind: 'add_constraint', constraint, inline } })),
    ...parts.indexes.map(({ index, at }): OpEvent => ({ table, at, inline: true, body: { kind: 'create_index', index, inline, ifNotExists: false } })),
  ];
}

function addColumn(op: Operation, table: string | null): OpEvent[] {
  const col = argOf(op, 'column');
  if (!isColumn(col)) {
    const unknown: ColumnSpec = { name: op.name, type: null, typeExpr: null, nullable: null, primaryKey: false, default: null, generated: null, identity: null, serial: false, unsure: 'not a Column(...) the replay can read' };
    return [{ table, at: null, inline: false, body: { kind: 'add_column', column: unknown, ifNotExists: false } }];
  }
  const { spec, parts } = readColumn(col, table);
  return [
    { table, at: null, inline: false, body: { kind: 'add_column', column: spec, ifNotExists: isTrue(kwarg(op, 'if_not_exists')) } },
    ...inlineEvents(table, parts, 'add_column'),
  ];
}

function createTable(op: Operation, table: string | null): OpEvent[] {
  const columns: ColumnSpec[] = [];
  const inline: OpEvent[] = [];
  const pkColumns: string[] = [];
  let pkAt: Span | null = null;
  for (const a of restArgs(op)) {
    if (a.kind === 'call' && callName(a) === 'Column') {
      const { spec, parts } = readColumn(a, table);
      columns.push(spec);
      if (spec.primaryKey && spec.name) {
        pkColumns.push(spec.name);
        pkAt ??= a.span;
      }
      inline.push(...inlineEvents(table, parts, 'create_table'));
      continue;
    }
    const c = tableConstraint(a);
    if (c) inline.push({ table, at: a.span, inline: true, body: { kind: 'add_constraint', constraint: c, inline: 'create_table' } });
    else if (callName(a) === 'Index' && a.kind === 'call') {
      const elements = a.args.slice(1);
      const columns = elements.map((x) => literalString(x)).filter((n): n is string => n !== null);
      inline.push({
        table,
        at: a.span,
        inline: true,
        body: {
          kind: 'create_index',
          index: {
            name: literalString(a.args[0]),
            auto: false,
            columns,
            expressions: a.star || columns.length !== elements.length,
            unique: isTrue(kwarg(a, 'unique')),
            concurrently: false,
            partial: !!kwarg(a, 'postgresql_where'),
          },
          inline: 'create_table',
          ifNotExists: false,
        },
      });
    }
  }
  if (pkColumns.length && !inline.some((e) => e.body.kind === 'add_constraint' && e.body.constraint.kind === 'primary')) {
    inline.unshift({ table, at: pkAt, inline: true, body: { kind: 'add_constraint', constraint: plainConstraint('primary', null, pkColumns), inline: 'create_table' } });
  }
  return [{ table, at: null, inline: false, body: { kind: 'create_table', columns, ifNotExists: isTrue(kwarg(op, 'if_not_exists')), asSelect: false } }, ...inline];
}

/** `sa.PrimaryKeyConstraint('id')`, `sa.ForeignKeyConstraint(['team_id'], ['team.id'])`, `sa.UniqueConstraint(…)`, `sa.CheckConstraint(…)`, `ExcludeConstraint(…)`. */
function tableConstraint(e: Expr): ConstraintSpec | null {
  if (e.kind !== 'call') return null;
  const name = literalString(kwarg(e, 'name'));
  const strs = (xs: Expr[]) => xs.map((x) => literalString(x)).filter((n): n is string => n !== null);
  switch (callName(e)) {
    case 'PrimaryKeyConstraint':
      return plainConstraint('primary', name, strs(e.args));
    case 'UniqueConstraint':
      return plainConstraint('unique', name, strs(e.args));
    case 'CheckConstraint':
      return checkConstraint(name, literalString(kwarg(e, 'sqltext') ?? e.args[0]), false);
    case 'ForeignKeyConstraint': {
      const refs = columnList(kwarg(e, 'refcolumns') ?? e.args[1]).map(foreignTarget);
      return {
        ...plainConstraint('foreign', name, columnList(kwarg(e, 'columns') ?? e.args[0])),
        references: { table: tableKey(refs[0]?.table ?? null), columns: refs.map((r) => r.column).filter((n): n is string => n !== null), ...foreignActions((n) => kwarg(e, n)) },
      };
    }
    case 'ExcludeConstraint':
      return plainConstraint('exclusion', name, e.args.map((x) => (x.kind === 'seq' ? literalString(x.items[0]) : null)).filter((n): n is string => n !== null));
    default:
      return null;
  }
}

/** alter_column's changes, in the order Alembic emits them: USING type change, nullability, default, type, comment, rename last. */
function alterColumn(op: Operation, table: string | null): OpEvent[] {
  const out: OpEvent[] = [];
  const push = (body: ChangeBody) => out.push({ table, at: null, inline: false, body });
  const column = op.name;
  const typeArg = argOf(op, 'type_');
  const using = kwarg(op, 'postgresql_using') !== undefined;
  const typeChange = (): ChangeBody => ({ kind: 'alter_type', column, from: typeFromPython(argOf(op, 'existing_type')), to: typeFromPython(typeArg), toExpr: typeArg ?? null, using });
  if (typeArg && using) push(typeChange());
  const nullable = argOf(op, 'nullable');
  const n = literalBool(nullable);
  if (n !== null) push({ kind: n ? 'drop_not_null' : 'set_not_null', column });
  const def = argOf(op, 'server_default');
  if (def && !isFalse(def)) {
    const d = exprFromPython(def);
    push(def.kind === 'none' || d === null ? { kind: 'drop_default', column } : { kind: 'set_default', column, default: d });
  }
  if (typeArg && !using) push(typeChange());
  const comment = argOf(op, 'comment');
  if (comment && !isFalse(comment)) push({ kind: 'comment', column });
  const rename = argOf(op, 'new_column_name');
  if (rename) push({ kind: 'rename_column', column, to: literalString(rename) });
  return out;
}
