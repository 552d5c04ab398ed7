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
  return derived(file.facts, 'changes.v2', () => computeChanges(file.facts, () => file.text));
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
  });
  if (call.sql === null) return [{ ...base(null, null, null), kind: 'unknown', reason: call.expression ? 'expression' : 'not-literal' }];
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
