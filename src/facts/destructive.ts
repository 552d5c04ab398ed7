/**
 * What makes an operation destructive (SPEC `destructive-operation`), as data: the rule turns it into a
 * message, the summary into `"destructive": true`, so the two can never disagree.
 */
import { literalString } from '../parse/python.js';
import { destructiveSql } from './sql.js';
import { isWidening, readColumnType, type ColumnType } from './types-sql.js';
import type { Operation } from '../model/facts.js';

export type Destruction =
  | { kind: 'drop-table' }
  | { kind: 'drop-column' }
  | { kind: 'drop-primary-key' }
  | { kind: 'rename-table' }
  | { kind: 'rename-column'; newName: string | null }
  | { kind: 'type-change'; from: ColumnType | null; to: ColumnType | null }
  /** `op.execute` of literal SQL that drops, truncates or deletes; `what` names the statement. */
  | { kind: 'sql'; what: string };

/** The SQL text of `op.execute(…)` when it is a literal, the same reading `SqlCall.sql` has. */
export function executeSql(op: Operation): string | null {
  if (op.op !== 'execute') return null;
  return literalString(op.args[0] ?? op.kwargs.find((k) => k.name === 'sqltext')?.value);
}

/**
 * Whether running `op` destroys data (or breaks running code by renaming), whatever function it is in:
 * which functions are judged (`checkDowngrade`) is the caller's choice.
 */
export function destruction(op: Operation): Destruction | null {
  switch (op.op) {
    case 'drop_table':
      return { kind: 'drop-table' };
    case 'drop_column':
      return { kind: 'drop-column' };
    case 'drop_constraint':
      return literalString(op.kwargs.find((k) => k.name === 'type_')?.value) === 'primary' ? { kind: 'drop-primary-key' } : null;
    case 'rename_table':
      return { kind: 'rename-table' };
    case 'alter_column': {
      const rename = op.kwargs.find((k) => k.name === 'new_column_name');
      if (rename) return { kind: 'rename-column', newName: literalString(rename.value) };
      const typeArg = op.kwargs.find((k) => k.name === 'type_')?.value;
      if (!typeArg) return null;
      const from = readColumnType(op.kwargs.find((k) => k.name === 'existing_type')?.value);
      const to = readColumnType(typeArg);
      return isWidening(from, to) ? null : { kind: 'type-change', from, to };
    }
    case 'execute': {
      const sql = executeSql(op);
      const what = sql === null ? null : destructiveSql(sql);
      return what ? { kind: 'sql', what } : null;
    }
    default:
      return null;
  }
}
