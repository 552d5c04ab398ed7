/**
 * Every schema change a migration file makes, in source order, whatever its form (see ./types.ts): the
 * events of its Alembic calls and of each statement of the SQL it runs. Computed once per file and kept with
 * its facts (facts/derived.ts), so a run replaying thousands of ancestors reads each one once.
 */
import { derived } from '../derived.js';
import type { MigrationFacts, Operation, SqlCall } from '../../model/facts.js';
import { argOf } from './alembic-args.js';
import { opEvents } from './from-op.js';
import { readSql } from './from-sql.js';
import { statementSpan, verbatimStart } from './sql-span.js';
import type { Change, ChangeBase } from './types.js';

export type * from './types.js';
export { opTable } from './from-op.js';
export { tableKey } from './table-key.js';
export { typeText, sameType } from './sql-types.js';

/** What the events are read from: a file's facts and its text (read only when the events are not cached). */
export interface ChangeSource {
  facts: MigrationFacts;
  readonly text: string;
}

export function changesOf(file: ChangeSource): Change[] {
  return derived(file.facts, 'changes.v3', () => computeChanges(file.facts, () => file.text), isChangeList);
}

/** The fields each kind of change carries besides the base (types.ts), for the check of a cached list. */
const BODY_FIELDS: Record<Change['kind'], string[]> = {
  create_table: ['columns', 'ifNotExists', 'asSelect'],
  drop_table: ['ifExists'],
  rename_table: ['to'],
  add_column: ['column', 'ifNotExists'],
  drop_column: ['column', 'ifExists'],
  rename_column: ['column', 'to'],
  set_not_null: ['column'],
  drop_not_null: ['column'],
  alter_type: ['column', 'from', 'to', 'using'],
  set_default: ['column', 'default'],
  drop_default: ['column'],
  add_constraint: ['constraint', 'inline'],
  validate_constraint: ['name'],
  drop_constraint: ['name', 'constraint', 'ifExists'],
  create_index: ['index', 'inline', 'ifNotExists'],
  drop_index: ['name', 'concurrently', 'ifExists'],
  maintenance: ['command', 'full', 'concurrently', 'target', 'name'],
  transaction: ['command'],
  set: ['name', 'value', 'local'],
  rewrite: ['reason'],
  data: ['verb'],
  lock: ['mode'],
  comment: ['column'],
  drop_object: ['object', 'name'],
  other: ['statement', 'detail'],
  unknown: ['reason'],
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSpan = (v: unknown): boolean => isObj(v) && typeof v.start === 'number' && typeof v.end === 'number';

/**
 * Whether a cached value has the shape of a change list: the base of every change and the fields of its kind.
 * A list damaged in the cache's file fails it and is computed again, rather than handed to the rules.
 */
export function isChangeList(v: unknown): v is Change[] {
  return (
    Array.isArray(v) &&
    v.every(
      (c) =>
        isObj(c) &&
        typeof c.kind === 'string' &&
        Object.hasOwn(BODY_FIELDS, c.kind) &&
        typeof c.fn === 'string' &&
        typeof c.fnName === 'string' &&
        typeof c.form === 'string' &&
        typeof c.call === 'string' &&
        isSpan(c.span) &&
        (c.at === null || isSpan(c.at)) &&
        (c.sql === null || (isObj(c.sql) && typeof c.sql.index === 'number' && typeof c.sql.count === 'number')) &&
        (c.table === null || typeof c.table === 'string') &&
        (c.unsure === null || typeof c.unsure === 'string') &&
        BODY_FIELDS[c.kind as Change['kind']].every((k) => k in c),
    )
  );
}

function fromOperation(op: Operation): Change[] {
  const receiver = op.receiver === 'batch' ? 'batch_op' : 'op';
  return opEvents(op).map((e) => {
    const base: ChangeBase = {
      fn: op.fn,
      fnName: op.fnName,
      form: e.inline ? 'column' : op.receiver,
      call: `${receiver}.${op.op}`,
      span: op.span,
      at: e.at,
      sql: null,
      table: e.table,
      unsure: e.unsure ?? null,
    };
    return { ...base, ...e.body } as Change;
  });
}

function fromSql(call: SqlCall, op: Operation | undefined, text: () => string): Change[] {
  const base = (sql: ChangeBase['sql'], at: ChangeBase['at'], table: string | null): ChangeBase => ({
    fn: call.fn,
    fnName: call.fnName,
    form: 'sql',
    call: call.kind,
    span: call.span,
    at,
    sql,
    table,
    unsure: call.guarded ? 'runs only under a condition' : null,
  });
  if (call.sql === null) return [{ ...base(null, null, null), kind: 'unknown', reason: call.data ? 'data' : call.expression ? 'expression' : 'not-literal' }];
  const statements = readSql(call.sql);
  if (!statements) return [{ ...base(null, null, null), kind: 'unknown', reason: 'syntax-error' }];
  const start = op ? verbatimStart(argOf(op, 'sqltext'), text()) : null;
  const out: Change[] = [];
  statements.forEach((s, index) => {
    const at = start === null ? null : statementSpan(call.sql!, start, s.byteStart, s.byteLength);
    for (const e of s.events) out.push({ ...base({ index, count: statements.length }, at, e.table), ...e.body } as Change);
  });
  return out;
}

function computeChanges(facts: MigrationFacts, text: () => string): Change[] {
  const executes = new Map<number, Operation>();
  const parts: { start: number; changes: () => Change[] }[] = [];
  for (const op of facts.operations) {
    if (op.op === 'execute') executes.set(op.span.start, op);
    else parts.push({ start: op.span.start, changes: () => fromOperation(op) });
  }
  for (const call of facts.sqlCalls) parts.push({ start: call.span.start, changes: () => fromSql(call, executes.get(call.span.start), text) });
  // Stable: an op.execute inside another call's arguments keeps its place after it.
  parts.sort((a, b) => a.start - b.start);
  return parts.flatMap((p) => p.changes());
}
