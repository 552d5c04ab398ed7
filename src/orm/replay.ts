/**
 * The schema the migrations build: every upgrade operation replayed in graph order (bases to heads, all
 * branches), as PostgreSQL ends up after `alembic upgrade heads`. Unnamed constraints get the names the
 * database would give them (or the target metadata's naming convention, which Alembic hands the migration's
 * MetaData). An operation under a condition (a dialect branch, a check of the live database), SQL that
 * cannot be read, or a revision whose place in the graph is unknown makes the tables it touches unknown.
 *
 * It walks the revisions in the lock rules' order (facts/changes/replay.ts upgradeOrder) and reads SQL through
 * the same change events, but still reads the op calls itself: the change events do not yet carry what
 * autogenerate compares. Missing from them: a foreign key's ondelete / onupdate / deferrable; the name of an
 * unnamed constraint or index under the metadata's naming convention (the replay keeps null, so a later drop by
 * that name is not followed); column types as SQLAlchemy prints them (facts/changes/sql-types.ts maps to
 * PostgreSQL's names, orm/sqltype.ts to the printed DDL compare_type tokenizes: Float, Enum and ARRAY differ);
 * an index over expressions (its non-literal columns are dropped); the file and span each column, index and
 * constraint came from; and what makes a table unknown here (an operation under a condition, *args, a
 * non-literal argument, a file the graph cannot place). Once the events carry these, this file becomes a
 * reading of replayEnvironment(…).final().
 */
import { buildGraph } from '../facts/graph.js';
import { upgradeOrder } from '../facts/changes/replay.js';
import { executeSql } from '../facts/locks.js';
import { readSql, type SqlEvent } from '../facts/changes/from-sql.js';
import { derived } from '../facts/derived.js';
import { dottedName, kwarg, literalBool } from '../parse/python.js';
import type { Expr } from '../model/expr.js';
import type { Operation } from '../model/facts.js';
import type { MigrationFile } from '../model/migration.js';
import { foreignKeyOf, readColumn, readTableItem, type ColumnParts, type TableItem } from './column.js';
import { conventionName, markPrimaryKey, newTable, postgresName, tableKeyOf, type NamingConvention, type Origin, type SchemaForeignKey, type SchemaTable, type Unknown } from './schema.js';
import { sqlTypeOf, type Qualify } from './sqltype.js';
import { items, str } from './literal.js';

export interface Replayed {
  tables: Map<string, SchemaTable>;
  unknown: Unknown[];
  /** Files in the order they were replayed. */
  order: MigrationFile[];
}

const qualify: Qualify = (v) => dottedName(v);

/** Files in upgrade order, the lock rules' replay's (facts/changes/replay.ts); files the graph cannot place apart. */
function orderOf(files: MigrationFile[]): { order: MigrationFile[]; unplaced: MigrationFile[] } {
  const graph = buildGraph(files);
  const order = upgradeOrder(graph).map((r) => graph.nodes.get(r)!.file);
  const placed = new Set(order);
  const unplaced = [...graph.unresolved, ...[...graph.duplicates.values()].flat().filter((f) => !placed.has(f))];
  return { order, unplaced };
}

class Replay {
  readonly tables = new Map<string, SchemaTable>();
  readonly unknown: Unknown[] = [];
  /** Index name → table key: PostgreSQL index names are per schema, dropped without a table. */
  private readonly indexTable = new Map<string, string>();

  constructor(private readonly convention: NamingConvention) {}

  markUnknown(key: string | null, reason: string, origin: Origin | null): void {
    if (key === null) {
      this.unknown.push({ table: '*', column: null, reason, origin });
      return;
    }
    const t = this.tables.get(key);
    if (t) t.unknown ??= reason;
    else {
      // Known only as unknown: autogenerate's view of it cannot be told, so it gets no finding either way.
      const nt = newTable(key.split('.').pop()!, key.includes('.') ? key.split('.')[0]! : null, origin);
      nt.unknown = reason;
      this.tables.set(key, nt);
    }
  }

  private name(kind: 'uq' | 'fk' | 'pk', table: SchemaTable, cols: string[], explicit: string | null, extra: { referredTable?: string; referredColumns?: string[] } = {}): string {
    if (explicit) return explicit;
    return conventionName(this.convention, kind, table.name, cols, extra) ?? postgresName(kind, table.name, cols);
  }

  addColumn(table: SchemaTable, c: ColumnParts, origin: Origin): void {
    if (!c.name) {
      table.unknown ??= 'a column without a literal name';
      return;
    }
    if (c.unknown) table.unknownColumns.set(c.name, c.unknown);
    const pk = c.primaryKey === true;
    const nullable = c.nullable === undefined ? !pk : c.nullable;
    table.columns.set(c.name, { name: c.name, type: c.typeValue ? c.type : null, nullable: pk ? false : nullable, primaryKey: pk, origin });
    if (c.index) this.addIndex(table, conventionName(this.convention, 'ix', table.name, [c.name]) ?? `ix_${table.name}_${c.name}`, [c.name], !!c.unique, false, origin);
    else if (c.unique) table.uniques.push({ name: this.name('uq', table, [c.name], null), columns: [c.name], origin });
    for (const fk of c.foreignKeys) this.addForeignKey(table, foreignKeyOf({ ...fk, columns: [c.name], refs: [fk.target] }, null, origin), fk.name);
  }

  /** A foreign key named as written, else by the convention or as PostgreSQL names it. */
  private addForeignKey(table: SchemaTable, fk: SchemaForeignKey, explicit: string | null): void {
    table.foreignKeys.push({ ...fk, name: this.name('fk', table, fk.columns, explicit, { referredTable: fk.refTable, referredColumns: fk.refColumns }) });
  }

  addIndex(table: SchemaTable, name: string, columns: string[], unique: boolean, expressions: boolean, origin: Origin): void {
    table.indexes = table.indexes.filter((i) => i.name !== name);
    table.indexes.push({ name, columns, unique, expressions, origin });
    this.indexTable.set(name, table.key);
  }

  addItem(table: SchemaTable, item: TableItem, origin: Origin): void {
    switch (item.kind) {
      case 'column':
        this.addColumn(table, item.column, origin);
        return;
      case 'index':
        if (item.name) this.addIndex(table, item.name, item.columns, item.unique, item.expressions, origin);
        return;
      case 'unique':
        table.uniques.push({ name: this.name('uq', table, item.columns, item.name), columns: item.columns, origin });
        return;
      case 'pk':
        markPrimaryKey(table, item.columns);
        table.otherConstraints.add(this.name('pk', table, item.columns, item.name));
        return;
      case 'fk':
        this.addForeignKey(table, foreignKeyOf(item, null, origin), item.name);
        return;
      case 'check':
        if (item.name) table.otherConstraints.add(item.name);
        return;
      case 'unknown':
        table.unknown ??= 'create_table has an argument that is not statically known';
    }
  }

  dropColumnRefs(table: SchemaTable, col: string): void {
    table.columns.delete(col);
    table.indexes = table.indexes.filter((i) => !i.columns.includes(col));
    table.uniques = table.uniques.filter((u) => !u.columns.includes(col));
    table.foreignKeys = table.foreignKeys.filter((f) => !f.columns.includes(col));
  }

  dropIndex(name: string, tableKey: string | null): void {
    const key = tableKey ?? this.indexTable.get(name) ?? null;
    const t = key ? this.tables.get(key) : null;
    if (t) t.indexes = t.indexes.filter((i) => i.name !== name);
    this.indexTable.delete(name);
  }

  dropConstraint(table: SchemaTable, name: string): boolean {
    const before = table.uniques.length + table.foreignKeys.length;
    table.uniques = table.uniques.filter((u) => u.name !== name);
    table.foreignKeys = table.foreignKeys.filter((f) => f.name !== name);
    const removed = before !== table.uniques.length + table.foreignKeys.length || table.otherConstraints.delete(name);
    if (removed && name === `${table.name}_pkey`) for (const c of table.columns.values()) c.primaryKey = false;
    return removed;
  }

  renameTable(from: string, to: string): void {
    const t = this.tables.get(from);
    if (!t) return;
    this.tables.delete(from);
    t.key = to;
    t.name = to.split('.').pop()!;
    this.tables.set(to, t);
    for (const [i, k] of this.indexTable) if (k === from) this.indexTable.set(i, to);
  }
}

/** Argument `i` of an op-form signature, or keyword `names`; batch calls lack the table argument. */
function arg(op: Operation, i: number, names: string[], tablePos: number | null): Expr | undefined {
  for (const n of names) {
    const k = op.kwargs.find((x) => x.name === n);
    if (k) return k.value;
  }
  const idx = op.receiver === 'batch' && tablePos !== null && i > tablePos ? i - 1 : i;
  return op.args[idx];
}

function tableOf(op: Operation): string | null {
  if (!op.table) return null;
  const schema = str(arg(op, -1, ['schema'], null));
  return tableKeyOf(op.table, schema);
}

function strList(v: Expr | undefined): string[] | null {
  const it = items(v);
  if (!it) return null;
  const out = it.map((x) => str(x));
  return out.some((x) => x === null) ? null : (out as string[]);
}

/** Replays every upgrade operation of `files` (one environment) in graph order. */
export function replayMigrations(files: MigrationFile[], convention: NamingConvention): Replayed {
  const r = new Replay(convention);
  const { order, unplaced } = orderOf(files);
  for (const f of unplaced) {
    for (const op of f.facts.operations) if (op.fn === 'upgrade') r.markUnknown(tableOf(op), `${f.path}: its place in the revision graph is not statically known`, null);
  }
  for (const file of order) {
    if (file.facts.parseError) {
      r.unknown.push({ table: '*', column: null, reason: `${file.path} does not parse`, origin: null });
      continue;
    }
    for (const op of file.facts.operations) {
      if (op.fn !== 'upgrade') continue;
      applyOp(r, file, op);
    }
  }
  return { tables: r.tables, unknown: r.unknown, order };
}

function applyOp(r: Replay, file: MigrationFile, op: Operation): void {
  const origin: Origin = { file: file.path, start: op.span.start, end: op.span.end };
  const key = tableOf(op);
  if (op.guarded) {
    r.markUnknown(key, `${op.op} in ${file.path} runs only under a condition`, origin);
    return;
  }
  if (op.star) {
    r.markUnknown(key, `${op.op} in ${file.path} is called with *args/**kwargs`, origin);
    return;
  }
  const t = key ? r.tables.get(key) : undefined;
  switch (op.op) {
    case 'create_table': {
      if (!key || !op.table) return r.markUnknown(null, `create_table in ${file.path} has no literal table name`, origin);
      const schema = str(arg(op, -1, ['schema'], null));
      const table = newTable(op.table, schema, origin);
      r.tables.set(key, table);
      for (const a of op.args.slice(1)) r.addItem(table, readTableItem(a, qualify), origin);
      return;
    }
    case 'drop_table':
      if (!key) return r.markUnknown(null, `drop_table in ${file.path} has no literal table name`, origin);
      r.tables.delete(key);
      return;
    case 'rename_table': {
      const to = str(arg(op, 1, ['new_table_name'], 0));
      if (!key || !to) return r.markUnknown(key, `rename_table in ${file.path} is not literal`, origin);
      const schema = str(arg(op, -1, ['schema'], null));
      r.renameTable(key, tableKeyOf(to, schema));
      return;
    }
    case 'add_column': {
      const col = arg(op, 1, ['column'], 0);
      if (!t || col?.kind !== 'call') return r.markUnknown(key, `add_column in ${file.path} adds a column that is not statically known`, origin);
      r.addColumn(t, readColumn(col, qualify), origin);
      return;
    }
    case 'drop_column': {
      const name = str(arg(op, 1, ['column_name'], 0));
      if (!t || !name) return r.markUnknown(key, `drop_column in ${file.path} is not literal`, origin);
      r.dropColumnRefs(t, name);
      return;
    }
    case 'alter_column': {
      const name = str(arg(op, 1, ['column_name'], 0));
      if (!t || !name) return r.markUnknown(key, `alter_column in ${file.path} is not literal`, origin);
      const col = t.columns.get(name);
      if (!col) return r.markUnknown(key, `alter_column in ${file.path} alters a column the migrations never made`, origin);
      const nullable = kwarg(op, 'nullable');
      if (nullable) col.nullable = literalBool(nullable);
      const type = kwarg(op, 'type_');
      if (type) col.type = sqlTypeOf(type, qualify);
      const rename = kwarg(op, 'new_column_name');
      if (rename) {
        const to = str(rename);
        if (!to) return r.markUnknown(key, `alter_column in ${file.path} renames to a name that is not literal`, origin);
        t.columns.delete(name);
        t.columns.set(to, { ...col, name: to });
        for (const i of t.indexes) i.columns = i.columns.map((c) => (c === name ? to : c));
        for (const u of t.uniques) u.columns = u.columns.map((c) => (c === name ? to : c));
        for (const f of t.foreignKeys) f.columns = f.columns.map((c) => (c === name ? to : c));
      }
      return;
    }
    case 'create_index': {
      const name = str(arg(op, 0, ['index_name'], 1));
      const cols = arg(op, 2, ['columns'], 1);
      if (!t || !name) return r.markUnknown(key, `create_index in ${file.path} is not literal`, origin);
      // The items as written: a starred one (`['a', *rest]`) is no column name, so the index counts as over expressions.
      const list = cols?.kind === 'seq' ? cols.items : null;
      const names = list?.map((c) => str(c)) ?? null;
      const expressions = !names || names.some((n) => n === null);
      r.addIndex(t, name, (names ?? []).filter((n): n is string => n !== null), literalBool(kwarg(op, 'unique')) ?? false, expressions, origin);
      return;
    }
    case 'drop_index': {
      const name = str(arg(op, 0, ['index_name'], 1));
      if (!name) return r.markUnknown(key, `drop_index in ${file.path} is not literal`, origin);
      const tn = str(arg(op, 1, ['table_name'], 1));
      r.dropIndex(name, op.receiver === 'batch' ? key : tn ? tableKeyOf(tn, str(arg(op, -1, ['schema'], null))) : null);
      return;
    }
    case 'create_unique_constraint': {
      const cols = strList(arg(op, 2, ['columns'], 1));
      if (!t || !cols) return r.markUnknown(key, `create_unique_constraint in ${file.path} is not literal`, origin);
      const name = str(arg(op, 0, ['constraint_name'], 1));
      r.addItem(t, { kind: 'unique', name, columns: cols, value: { kind: 'other', node: 'CallExpression', span: op.span } }, origin);
      return;
    }
    case 'create_primary_key': {
      const cols = strList(arg(op, 2, ['columns'], 1));
      if (!t || !cols) return r.markUnknown(key, `create_primary_key in ${file.path} is not literal`, origin);
      r.addItem(t, { kind: 'pk', name: str(arg(op, 0, ['constraint_name'], 1)), columns: cols, value: { kind: 'other', node: 'CallExpression', span: op.span } }, origin);
      return;
    }
    case 'create_foreign_key': {
      const referent = str(arg(op, 2, ['referent_table'], 1));
      const local = strList(arg(op, 3, ['local_cols'], 1));
      const remote = strList(arg(op, 4, ['remote_cols'], 1));
      if (!t || !referent || !local || !remote) return r.markUnknown(key, `create_foreign_key in ${file.path} is not literal`, origin);
      const refSchema = str(kwarg(op, 'referent_schema'));
      const initially = str(kwarg(op, 'initially'));
      r.addItem(
        t,
        {
          kind: 'fk',
          name: str(arg(op, 0, ['constraint_name'], 1)),
          columns: local,
          refs: remote.map((c) => `${tableKeyOf(referent, refSchema)}.${c}`),
          ondelete: str(kwarg(op, 'ondelete')),
          onupdate: str(kwarg(op, 'onupdate')),
          deferrable: initially?.toLowerCase() === 'deferred' ? 'initially_deferrable' : literalBool(kwarg(op, 'deferrable')) ? 'deferrable' : null,
          value: { kind: 'other', node: 'CallExpression', span: op.span },
        },
        origin,
      );
      return;
    }
    case 'create_check_constraint':
    case 'create_exclude_constraint': {
      const name = str(arg(op, 0, ['constraint_name'], 1));
      if (t && name) t.otherConstraints.add(name);
      return;
    }
    case 'drop_constraint': {
      const name = str(arg(op, 0, ['constraint_name'], 1));
      if (!t || !name || !r.dropConstraint(t, name)) r.markUnknown(key, `drop_constraint in ${file.path} drops a constraint the replay cannot place`, origin);
      return;
    }
    case 'execute':
      applySql(r, file, op, origin);
      return;
    default:
      return;
  }
}

/** Statements read but not modelled that leave every table's columns, indexes and constraints as they were. */
const HARMLESS = /^(SelectStmt|VariableSetStmt|CreateExtensionStmt|CreateFunctionStmt|CreateTrigStmt|GrantStmt|GrantRoleStmt|CreateSeqStmt|AlterSeqStmt|CreateEnumStmt|AlterEnumStmt|CreateSchemaStmt|ViewStmt|CreatePolicyStmt|AlterPolicyStmt|CreateRoleStmt|DropRoleStmt|NotifyStmt|CommentStmt|CreateDomainStmt|RuleStmt|CallStmt|CreateStatsStmt|RefreshMatViewStmt|AlterFunctionStmt|AlterOwnerStmt|AlterRoleStmt|CompositeTypeStmt|CreateEventTrigStmt)$/;

/**
 * The change events of each literal `op.execute` SQL of a file (by the operation's index; null where
 * PostgreSQL's grammar rejects it), remembered with the file's facts in the engine's cache: a replay on every
 * pre-commit run does not parse the applied migrations' SQL again.
 */
function sqlEventsOf(file: MigrationFile): Record<number, SqlEvent[] | null> {
  // Facts outside the cache have no store to remember it: once per file and run all the same.
  let known = SQL_EVENTS.get(file.facts);
  if (!known) SQL_EVENTS.set(file.facts, (known = sqlEventsRead(file)));
  return known;
}

const SQL_EVENTS = new WeakMap<object, Record<number, SqlEvent[] | null>>();

function sqlEventsRead(file: MigrationFile): Record<number, SqlEvent[] | null> {
  return derived(file.facts, 'orm.sql-events.v1', () => {
    const out: Record<number, SqlEvent[] | null> = {};
    file.facts.operations.forEach((op, i) => {
      const sql = op.fn === 'upgrade' ? executeSql(op) : null;
      if (sql === null) return;
      const stmts = readSql(sql);
      out[i] = stmts ? stmts.flatMap((s) => s.events) : null;
    });
    return out;
  });
}

/** The SQL of `op.execute`, read with PostgreSQL's parser into change events (facts/changes/from-sql.ts). */
function applySql(r: Replay, file: MigrationFile, op: Operation, origin: Origin): void {
  const sql = executeSql(op);
  if (sql === null) {
    // op.execute(table.update()...) and friends are data, not schema; only text we cannot read is unknown.
    const a = op.args[0];
    if (a && a.kind === 'call' && /\.(update|insert|delete|select)$/.test(dottedName(a.callee) ?? '')) return;
    r.unknown.push({ table: '*', column: null, reason: `op.execute in ${file.path} runs SQL that is not a literal`, origin });
    return;
  }
  const at = file.facts.operations.indexOf(op);
  const events = at >= 0 ? sqlEventsOf(file)[at] : (readSql(sql)?.flatMap((s) => s.events) ?? null);
  if (!events) {
    r.unknown.push({ table: '*', column: null, reason: `op.execute in ${file.path}: SQL PostgreSQL's parser does not read`, origin });
    return;
  }
  for (const { table, body } of events) {
    const key = table;
    const t = key ? r.tables.get(key) : undefined;
    switch (body.kind) {
      case 'set':
      case 'lock':
      case 'data':
      case 'comment':
      case 'maintenance':
      case 'transaction':
      case 'validate_constraint':
      case 'set_default':
      case 'drop_default':
      case 'rewrite':
      case 'drop_object':
        break;
      case 'drop_table':
        if (key) r.tables.delete(key);
        break;
      case 'rename_table':
        if (key && body.to) r.renameTable(key, body.to);
        else r.markUnknown(key, `RENAME in ${file.path} is not followed`, origin);
        break;
      case 'create_index':
        if (t && body.index.name) r.addIndex(t, body.index.name, body.index.columns, body.index.unique, body.index.columns.length === 0, origin);
        else r.markUnknown(key, `an index made by SQL in ${file.path}`, origin);
        break;
      case 'drop_index':
        if (body.name) r.dropIndex(body.name.split('.').pop()!, null);
        break;
      case 'set_not_null':
      case 'drop_not_null': {
        const col = t && body.column ? t.columns.get(body.column) : undefined;
        if (col) col.nullable = body.kind === 'drop_not_null';
        else r.markUnknown(key, `${body.kind} in ${file.path} on a column the replay does not know`, origin);
        break;
      }
      case 'other':
        if (!HARMLESS.test(body.statement)) r.unknown.push({ table: key ?? '*', column: null, reason: `op.execute in ${file.path} runs ${body.statement}`, origin });
        break;
      default:
        // Tables made or changed in SQL (CREATE TABLE, ALTER TABLE … ADD/DROP/ALTER COLUMN or CONSTRAINT) are not followed.
        r.markUnknown(key, `changed by SQL in ${file.path} (${body.kind})`, origin);
    }
  }
}
