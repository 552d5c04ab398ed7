/**
 * Which lock each Alembic operation (and each SQL statement we can read) takes on its table in
 * PostgreSQL, and what that lock blocks. Every mode here is measured by the oracle suite
 * (test/oracle/locks.test.ts) from `pg_locks` on PostgreSQL 15; docs/locks.md holds the measured table.
 */
import { literalString } from '../parse/python.js';
import { parseSql, type AlterAction, type SqlStatement } from './sql-parse.js';
import type { Expr } from '../model/expr.js';
import type { Operation } from '../model/facts.js';

/** PostgreSQL's table lock modes, weakest first (the order of their numbers in lock.h). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

export function lockLevel(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode) + 1;
}

export function strongest(modes: (LockMode | null)[]): LockMode | null {
  let best: LockMode | null = null;
  for (const m of modes) if (m && (!best || lockLevel(m) > lockLevel(best))) best = m;
  return best;
}

/** `pg_locks.mode` (`ShareUpdateExclusiveLock`) → 'SHARE UPDATE EXCLUSIVE'. */
export function fromPgLocksMode(mode: string): LockMode | null {
  const words = mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return (LOCK_MODES as readonly string[]).includes(words) ? (words as LockMode) : null;
}

/** Plain SELECTs take ACCESS SHARE; only ACCESS EXCLUSIVE conflicts with it. */
export function blocksReads(mode: LockMode): boolean {
  return mode === 'ACCESS EXCLUSIVE';
}

/** INSERT/UPDATE/DELETE take ROW EXCLUSIVE; SHARE and everything stronger conflict with it. */
export function blocksWrites(mode: LockMode): boolean {
  return lockLevel(mode) >= lockLevel('SHARE');
}

/** One line for reviewers: what waits while the lock is held. */
export function lockBlocks(mode: LockMode): string {
  if (blocksReads(mode)) return 'blocks reads and writes';
  if (blocksWrites(mode)) return 'blocks writes; reads go on';
  if (mode === 'SHARE UPDATE EXCLUSIVE') return 'blocks schema changes, index builds and VACUUM; reads and writes go on';
  if (mode === 'ROW EXCLUSIVE') return 'blocks index builds and schema changes; reads and writes go on';
  return 'blocks only ACCESS EXCLUSIVE (schema changes); reads and writes go on';
}

function kw(op: Operation, name: string): Expr | undefined {
  return op.kwargs.find((k) => k.name === name)?.value;
}

/** A keyword given as the literal `True` (a variable or expression is not assumed either way). */
export function isTrueKw(op: Operation, name: string): boolean {
  const v = kw(op, name);
  return !!v && v.kind === 'bool' && v.value;
}

/** The SQL text of an `op.execute(…)`, when it is a literal. */
export function executeSql(op: Operation): string | null {
  if (op.op !== 'execute') return null;
  return literalString(op.args[0] ?? kw(op, 'sqltext'));
}

// alter_column keywords that change nothing in the table itself.
const ALTER_COLUMN_INERT = new Set(['existing_type', 'existing_server_default', 'existing_nullable', 'existing_comment', 'schema', 'existing_autoincrement']);

/**
 * The lock an operation takes on its table (`op.table`), or null when unknown (SQL that cannot be read,
 * or statements that lock no table). For `create_foreign_key` the referenced table gets the same mode.
 */
export function lockOf(op: Operation): LockMode | null {
  switch (op.op) {
    case 'create_index':
      return isTrueKw(op, 'postgresql_concurrently') ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    case 'drop_index':
      return isTrueKw(op, 'postgresql_concurrently') ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'create_foreign_key':
      return 'SHARE ROW EXCLUSIVE';
    case 'bulk_insert':
      return 'ROW EXCLUSIVE';
    case 'create_table_comment':
    case 'drop_table_comment':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'alter_column': {
      // Only a comment: Alembic emits COMMENT ON COLUMN, not ALTER TABLE.
      const changes = op.kwargs.filter((k) => !ALTER_COLUMN_INERT.has(k.name));
      if (changes.length > 0 && changes.every((k) => k.name === 'comment')) return 'SHARE UPDATE EXCLUSIVE';
      return 'ACCESS EXCLUSIVE';
    }
    case 'add_column':
    case 'create_check_constraint':
    case 'create_exclude_constraint':
    case 'create_primary_key':
    case 'create_table':
    case 'create_unique_constraint':
    case 'drop_column':
    case 'drop_constraint':
    case 'drop_table':
    case 'rename_table':
      return 'ACCESS EXCLUSIVE';
    case 'execute': {
      const sql = executeSql(op);
      return sql === null ? null : sqlLock(sql);
    }
    default:
      return null;
  }
}

/** The strongest table lock among the statements of a SQL text, or null. */
export function sqlLock(sql: string): LockMode | null {
  const stmts = parseSql(sql);
  return stmts ? strongest(stmts.map(statementLock)) : null;
}

const LOCK_STMT_MODES: Record<number, LockMode> = Object.fromEntries(LOCK_MODES.map((m, i) => [i + 1, m]));

/** The lock one statement takes on the table it names, or null when it names none or we do not know. */
export function statementLock(s: SqlStatement): LockMode | null {
  switch (s.kind) {
    case 'create_index':
      return s.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    case 'drop_index':
      return s.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'reindex':
      return s.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    case 'alter_table':
      return strongest(s.actions.map(actionLock));
    case 'create_table':
    case 'drop_table':
    case 'rename_table':
    case 'truncate':
      return 'ACCESS EXCLUSIVE';
    case 'lock':
      return LOCK_STMT_MODES[s.mode] ?? 'ACCESS EXCLUSIVE';
    case 'dml':
      return 'ROW EXCLUSIVE';
    case 'comment':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'set':
    case 'other':
      return null;
  }
}

function actionLock(a: AlterAction): LockMode {
  switch (a.type) {
    case 'validate_constraint':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'add_constraint':
      return a.constraint === 'foreign' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'other':
      // PostgreSQL's lighter ALTER TABLE forms; everything else it does under ACCESS EXCLUSIVE.
      return /^AT_(SetStatistics|SetRelOptions)$/.test(a.subtype)
        ? 'SHARE UPDATE EXCLUSIVE'
        : 'ACCESS EXCLUSIVE';
    default:
      return 'ACCESS EXCLUSIVE';
  }
}
