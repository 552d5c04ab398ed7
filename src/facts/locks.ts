/**
 * Which lock each Alembic operation (and each SQL statement we can read) takes on its table in
 * PostgreSQL, and what that lock blocks. Every mode here is measured by the oracle suite
 * (test/oracle/locks.test.ts) from `pg_locks` on PostgreSQL 15; docs/locks.md holds the measured table.
 */
import { literalString } from '../parse/python.js';
import { argOf } from './changes/alembic-args.js';
import { opEvents } from './changes/from-op.js';
import { readSql } from './changes/from-sql.js';
import type { ChangeBody } from './changes/types.js';
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

/** The SQL text of an `op.execute(…)`, when it is a literal. */
export function executeSql(op: Operation): string | null {
  if (op.op !== 'execute') return null;
  return literalString(argOf(op, 'sqltext'));
}

const LOCK_STMT_MODES: Record<number, LockMode> = Object.fromEntries(LOCK_MODES.map((m, i) => [i + 1, m]));

// ALTER TABLE forms PostgreSQL runs under SHARE UPDATE EXCLUSIVE (AlterTableGetLockLevel); the others take ACCESS EXCLUSIVE.
const LIGHT_ALTER = new Set(['AT_SetStatistics', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_ClusterOn', 'AT_DropCluster']);

/**
 * The lock a change takes on its table in PostgreSQL, or null when it locks none (SET, BEGIN, a statement on
 * something else) or we do not know. A foreign key takes the same mode on the table it references.
 */
export function changeLock(c: ChangeBody): LockMode | null {
  switch (c.kind) {
    case 'create_index':
      return c.index.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
    case 'drop_index':
      return c.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'add_constraint':
      return c.constraint.kind === 'foreign' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'validate_constraint':
    case 'comment':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'maintenance':
      if (c.command === 'reindex') return c.concurrently ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE';
      if (c.command === 'cluster' || c.full) return 'ACCESS EXCLUSIVE';
      return 'SHARE UPDATE EXCLUSIVE';
    case 'data':
      return c.verb === 'truncate' ? 'ACCESS EXCLUSIVE' : 'ROW EXCLUSIVE';
    case 'lock':
      return LOCK_STMT_MODES[c.mode] ?? 'ACCESS EXCLUSIVE';
    case 'other':
      if (c.statement !== 'AlterTableCmd') return null;
      return LIGHT_ALTER.has(c.detail ?? '') ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    case 'set':
    case 'transaction':
    case 'drop_object':
    case 'unknown':
      return null;
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

/**
 * The strongest lock an operation takes on its table (`op.table`), or null when unknown (SQL that cannot be
 * read, or statements that lock no table).
 */
export function lockOf(op: Operation): LockMode | null {
  if (op.op === 'execute') {
    const sql = executeSql(op);
    return sql === null ? null : sqlLock(sql);
  }
  return strongest(opEvents(op).map((e) => changeLock(e.body)));
}

/** The strongest table lock among the statements of a SQL text, or null. */
export function sqlLock(sql: string): LockMode | null {
  const stmts = readSql(sql);
  return stmts ? strongest(stmts.flatMap((s) => s.events.map((e) => changeLock(e.body)))) : null;
}
