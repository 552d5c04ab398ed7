/**
 * What makes a change destructive (loses data, or breaks code still running against the old schema), as data: the rule turns it into a message,
 * the summary into `"destructive": true`, so the two can never disagree. Read from change events, so the same
 * drop is destructive whether it is an Alembic call, its batch twin or SQL.
 */
import { changesOf, type ChangeSource } from './changes/index.js';
import { isLossy } from './changes/type-change.js';
import type { Change, SqlType } from './changes/types.js';

export type Destruction =
  | { kind: 'drop-table' }
  | { kind: 'drop-column' }
  | { kind: 'drop-primary-key' }
  | { kind: 'rename-table'; newName: string | null }
  | { kind: 'rename-column'; newName: string | null }
  | { kind: 'type-change'; from: SqlType | null; to: SqlType | null }
  /** Rows removed: DELETE, TRUNCATE. */
  | { kind: 'rows'; what: 'DELETE' | 'TRUNCATE' }
  /** A schema, view, type, … dropped. */
  | { kind: 'drop-object'; object: string };

// Objects whose drop loses data or breaks what reads them; sequences, functions, triggers and the like are code.
const DATA_OBJECTS = new Set(['schema', 'database', 'view', 'materialized view', 'type']);

/**
 * Whether a change destroys data (or breaks running code by renaming). `existing`: the table holds rows when
 * it runs; dropping or rewriting a table created earlier in the same change is harmless.
 */
export function destruction(c: Change, existing: boolean): Destruction | null {
  if (!existing && c.kind !== 'drop_object') return null;
  switch (c.kind) {
    case 'drop_table':
      return { kind: 'drop-table' };
    case 'drop_column':
      return { kind: 'drop-column' };
    case 'drop_constraint':
      return c.constraint === 'primary' ? { kind: 'drop-primary-key' } : null;
    case 'rename_table':
      return { kind: 'rename-table', newName: c.to };
    case 'rename_column':
      return { kind: 'rename-column', newName: c.to };
    case 'alter_type':
      return isLossy(c.from, c.to, c.using) ? { kind: 'type-change', from: c.from, to: c.to } : null;
    case 'data':
      return c.verb === 'delete' ? { kind: 'rows', what: 'DELETE' } : c.verb === 'truncate' ? { kind: 'rows', what: 'TRUNCATE' } : null;
    case 'drop_object':
      return DATA_OBJECTS.has(c.object) ? { kind: 'drop-object', object: c.object } : null;
    default:
      return null;
  }
}

/**
 * The calls of a file (by the offset where they start) that destroy data, judged on the file alone: a table
 * created earlier in the same function is new. What the summary shows for each operation.
 */
export function destructiveCalls(file: ChangeSource): Set<number> {
  const out = new Set<number>();
  const created = new Set<string>();
  let fnName: string | null = null;
  for (const c of changesOf(file)) {
    if (c.fnName !== fnName) {
      created.clear();
      fnName = c.fnName;
    }
    if (destruction(c, c.table === null || !created.has(c.table))) out.add(c.span.start);
    if (c.kind === 'create_table' && c.table) created.add(c.table);
  }
  return out;
}
