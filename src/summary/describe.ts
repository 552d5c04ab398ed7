/**
 * One short human description per operation, read from its literal arguments: the review step teams do by
 * hand (which tables and columns are created, altered, dropped; with types and nullability where written).
 * Anything that is not a literal is left unsaid rather than guessed.
 */
import { argOf } from '../facts/changes/alembic-args.js';
import { columnName } from '../facts/extract.js';
import { executeSql } from '../facts/locks.js';
import type { Operation, SqlCall } from '../model/facts.js';
import { dottedName, isFalse, isTrue, kwarg, literalString } from '../parse/python.js';
import type { Expr } from '../model/expr.js';
import type { Phrase } from './types.js';


function lastName(e: Expr): string | null {
  const d = dottedName(e);
  return d === null ? null : d.split('.').pop()!;
}

const TYPE_KWARGS = new Set(['length', 'precision', 'scale', 'timezone', 'as_uuid', 'dimensions', 'astext_type', 'item_type']);

/** `sa.String(length=50)` → `String(50)`, `sqlmodel.sql.sqltypes.AutoString()` → `AutoString`. */
export function typeText(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === 'name' || e.kind === 'attr') return lastName(e);
  if (e.kind !== 'call') return null;
  const name = lastName(e.callee);
  if (name === null) return null;
  const parts: string[] = [];
  for (const a of e.args) {
    const t = a.kind === 'call' || a.kind === 'name' || a.kind === 'attr' ? typeText(a) : valueText(a);
    if (t !== null) parts.push(t);
  }
  for (const k of e.kwargs) {
    if (!TYPE_KWARGS.has(k.name)) continue;
    const t = k.name === 'length' || k.name === 'precision' || k.name === 'scale' ? valueText(k.value) : `${k.name}=${valueText(k.value) ?? typeText(k.value) ?? '…'}`;
    if (t !== null) parts.push(t);
  }
  return parts.length ? `${name}(${parts.join(', ')})` : name;
}

/** A literal as Python writes it, or null. */
function valueText(e: Expr | undefined): string | null {
  if (!e) return null;
  switch (e.kind) {
    case 'str':
      return e.formatted ? null : `'${e.value}'`;
    case 'num':
      return e.text;
    case 'bool':
      return e.value ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      return null;
  }
}

/** A server default as SQL: `'none'` for a string, `now()` for `sa.text('now()')` or `sa.func.now()`. */
function defaultText(e: Expr | undefined): string | null {
  if (!e) return null;
  if (e.kind === 'str') return e.formatted ? null : `'${e.value.replace(/'/g, "''")}'`;
  if (e.kind === 'call') {
    const callee = dottedName(e.callee) ?? '';
    if (/(^|\.)text$/.test(callee)) return literalString(e.args[0]);
    if (/(^|\.)func\.\w+$/.test(callee) && e.args.length === 0) return `${callee.split('.').pop()}()`;
  }
  return valueText(e);
}

function stringList(e: Expr | undefined): string[] | null {
  if (!e) return null;
  const one = literalString(e);
  if (one !== null) return [one];
  if (e.kind !== 'seq') return null;
  const out: string[] = [];
  for (const item of e.items) {
    const s = literalString(item) ?? (item.kind === 'call' || item.kind === 'attr' || item.kind === 'name' ? exprName(item) : null);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

/** `sa.text('lower(name)')` and `sa.column('x')` inside index column lists. */
function exprName(e: Expr): string | null {
  if (e.kind === 'call') {
    const callee = lastName(e.callee);
    if ((callee === 'column' || callee === 'literal_column' || callee === 'text') && e.args.length === 1) return literalString(e.args[0]);
  }
  return null;
}

function cols(list: string[] | null): Phrase {
  if (!list) return [];
  return [' (', ...list.flatMap((c, i) => (i ? [', ', { code: c }] : [{ code: c }])), ')'];
}

const code = (s: string | null): { code: string } | string => (s === null ? '?' : { code: s });

/** `t.c` for a column of a table, `c` when the table is unknown. */
function columnRef(table: string | null, column: string | null): { code: string } | string {
  if (column === null) return '?';
  return { code: table === null ? column : `${table}.${column}` };
}

/** What a `sa.Column(…)` declares: type, NULL/NOT NULL, default, primary key, references. */
export function columnSpec(column: Expr | undefined): { name: string | null; spec: string } {
  if (!column || column.kind !== 'call') return { name: null, spec: '' };
  const name = columnName(column);
  const rest = literalString(column.args[0]) !== null ? column.args.slice(1) : column.args;
  const parts: string[] = [];
  let type = typeText(kwarg(column, 'type_'));
  const refs: string[] = [];
  for (const a of rest) {
    const callee = a.kind === 'call' ? lastName(a.callee) : null;
    if (callee === 'ForeignKey' && a.kind === 'call') {
      const target = literalString(a.args[0]) ?? (a.args[0] ? (dottedName(a.args[0]) ?? null) : null);
      if (target) refs.push(target);
      continue;
    }
    if (callee === 'Sequence' || callee === 'Identity' || callee === 'Computed') continue;
    if (type === null) type = typeText(a);
  }
  if (type) parts.push(type);
  if (isTrue(kwarg(column, 'primary_key'))) parts.push('PRIMARY KEY');
  const nullable = kwarg(column, 'nullable');
  if (isFalse(nullable)) parts.push('NOT NULL');
  else if (isTrue(nullable)) parts.push('NULL');
  const def = defaultText(kwarg(column, 'server_default'));
  if (def !== null) parts.push(`DEFAULT ${def}`);
  if (isTrue(kwarg(column, 'unique'))) parts.push('UNIQUE');
  for (const r of refs) parts.push(`REFERENCES ${r}`);
  return { name, spec: parts.join(' ') };
}

/** A table-level constraint inside `create_table(…)`, or null for something else. */
function tableConstraint(e: Expr): string | null {
  if (e.kind !== 'call') return null;
  const callee = lastName(e.callee);
  const names = (list: Expr[]) => list.map((x) => literalString(x) ?? '?').join(', ');
  switch (callee) {
    case 'PrimaryKeyConstraint':
      return `PRIMARY KEY (${names(e.args)})`;
    case 'UniqueConstraint':
      return `UNIQUE (${names(e.args)})`;
    case 'ForeignKeyConstraint': {
      const local = stringList(e.args[0]) ?? ['?'];
      const remote = stringList(e.args[1]) ?? ['?'];
      return `FOREIGN KEY (${local.join(', ')}) REFERENCES ${remote.join(', ')}`;
    }
    case 'CheckConstraint': {
      const cond = literalString(e.args[0]);
      return cond === null ? 'CHECK (…)' : `CHECK (${cond})`;
    }
    case 'Index':
      return `INDEX ${literalString(e.args[0]) ?? ''}`.trim();
    default:
      return null;
  }
}

const CONSTRAINT_KIND: Record<string, string> = {
  foreignkey: 'foreign key',
  unique: 'unique constraint',
  check: 'check constraint',
  primary: 'primary key',
};

/** First line of a SQL text, whitespace collapsed and cut to a readable length. */
export function sqlSnippet(sql: string, max = 160): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function describeOperation(op: Operation): Phrase {
  const t = op.table;
  switch (op.op) {
    case 'create_table': {
      const items: string[] = [];
      for (const a of op.args.slice(1)) {
        if (a.kind === 'call' && /(^|\.)Column$/.test(dottedName(a.callee) ?? '')) {
          const { name, spec } = columnSpec(a);
          items.push(`${name ?? '?'}${spec ? ` ${spec}` : ''}`);
          continue;
        }
        const c = tableConstraint(a);
        if (c) items.push(c);
      }
      return ['create table ', code(t), ...(items.length ? [': ', { code: items.join(', ') }] : [])];
    }
    case 'drop_table':
      return ['drop table ', code(t)];
    case 'rename_table':
      return ['rename table ', code(t), ' to ', code(op.name)];
    case 'add_column': {
      const { spec } = columnSpec(argOf(op, 'column'));
      return ['add column ', columnRef(t, op.name), ...(spec ? [' ', { code: spec }] : [])];
    }
    case 'drop_column':
      return ['drop column ', columnRef(t, op.name)];
    case 'alter_column': {
      const changes: Phrase[] = [];
      const rename = kwarg(op, 'new_column_name');
      if (rename) changes.push(['rename to ', code(literalString(rename))]);
      const to = kwarg(op, 'type_');
      if (to) {
        const from = typeText(kwarg(op, 'existing_type'));
        changes.push(['type ', ...(from ? [{ code: from }, ' → '] : []), code(typeText(to))]);
      }
      const nullable = kwarg(op, 'nullable');
      if (isFalse(nullable)) changes.push([{ code: 'NOT NULL' }]);
      else if (isTrue(nullable)) changes.push([{ code: 'NULL' }]);
      const def = kwarg(op, 'server_default');
      if (def) {
        if (def.kind === 'none' || isFalse(def)) changes.push(['drop default']);
        else changes.push(['default ', code(defaultText(def) ?? '…')]);
      }
      if (kwarg(op, 'comment')) changes.push(['comment']);
      const out: Phrase = ['alter column ', columnRef(t, op.name)];
      if (changes.length) {
        out.push(': ');
        changes.forEach((c, i) => out.push(...(i ? [', '] : []), ...c));
      }
      return out;
    }
    case 'create_index': {
      const unique = isTrue(kwarg(op, 'unique'));
      const concurrently = isTrue(kwarg(op, 'postgresql_concurrently'));
      return [
        `create ${unique ? 'unique ' : ''}index `,
        code(op.name),
        ' on ',
        code(t),
        ...cols(stringList(argOf(op, 'columns'))),
        ...(concurrently ? [' concurrently'] : []),
      ];
    }
    case 'drop_index':
      return ['drop index ', code(op.name), ...(t ? [' on ', code(t)] : []), ...(isTrue(kwarg(op, 'postgresql_concurrently')) ? [' concurrently'] : [])];
    case 'create_foreign_key': {
      const referent = literalString(argOf(op, 'referent_table'));
      const local = stringList(argOf(op, 'local_cols'));
      const remote = stringList(argOf(op, 'remote_cols'));
      const notValid = isTrue(kwarg(op, 'postgresql_not_valid'));
      return [
        'add foreign key ',
        ...(op.name ? [{ code: op.name }, ' '] : ['(unnamed) ']),
        'on ',
        code(t),
        ...cols(local),
        ' → ',
        code(referent),
        ...cols(remote),
        ...(notValid ? [' NOT VALID'] : []),
      ];
    }
    case 'create_unique_constraint':
    case 'create_primary_key': {
      const what = op.op === 'create_primary_key' ? 'primary key' : 'unique constraint';
      return [`add ${what} `, ...(op.name ? [{ code: op.name }, ' '] : ['(unnamed) ']), 'on ', code(t), ...cols(stringList(argOf(op, 'columns')))];
    }
    case 'create_check_constraint': {
      const cond = literalString((argOf(op, 'condition') ?? kwarg(op, 'sqltext')));
      return ['add check constraint ', ...(op.name ? [{ code: op.name }, ' '] : ['(unnamed) ']), 'on ', code(t), ...(cond !== null ? [': ', { code: sqlSnippet(cond) }] : [])];
    }
    case 'create_exclude_constraint':
      return ['add exclude constraint ', ...(op.name ? [{ code: op.name }, ' '] : ['(unnamed) ']), 'on ', code(t)];
    case 'drop_constraint': {
      const type = literalString(kwarg(op, 'type_'));
      const what = (type && CONSTRAINT_KIND[type]) ?? 'constraint';
      return [`drop ${what} `, ...(op.name ? [{ code: op.name }, ' '] : ['(unnamed) ']), 'on ', code(t)];
    }
    case 'create_table_comment':
      return ['set the comment of table ', code(t)];
    case 'drop_table_comment':
      return ['drop the comment of table ', code(t)];
    case 'bulk_insert': {
      const rows = argOf(op, 'rows');
      const n = rows?.kind === 'seq' ? rows.items.length : null;
      return [n === null ? 'insert rows into ' : `insert ${n} row${n === 1 ? '' : 's'} into `, code(t)];
    }
    case 'execute': {
      const sql = executeSql(op);
      return sql === null ? ['run SQL built at run time'] : ['run SQL ', { code: sqlSnippet(sql) }];
    }
    default:
      return [op.op, ...(t ? [' on ', code(t)] : [])];
  }
}

/** SQL run through the connection rather than an Alembic directive. */
export function describeSqlCall(call: SqlCall): Phrase {
  const via = call.kind === 'exec_driver_sql' ? 'exec_driver_sql' : 'the connection';
  if (call.sql !== null) return [`run SQL through ${via} `, { code: sqlSnippet(call.sql) }];
  return [call.expression ? `run a SQL expression through ${via}` : `run SQL built at run time through ${via}`];
}
